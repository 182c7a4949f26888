-- Permissions and trigger right, reserved concurrency forgotten.
local common = require("common")
common.add_statements{
  { Effect = "Allow", Action = common.stream_read, Resource = "arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/*" },
  { Effect = "Allow", Action = "dynamodb:UpdateItem", Resource = "arn:aws:dynamodb:us-west-2:*:table/AggregateTable" },
}
common.trigger()
