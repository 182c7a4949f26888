-- The stream statement names StateTable's stream instead of ReduceTable's.
local common = require("common")
aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
common.add_statements{
  { Effect = "Allow", Action = common.stream_read, Resource = "arn:aws:dynamodb:us-west-2:*:table/StateTable/stream/*" },
  { Effect = "Allow", Action = "dynamodb:UpdateItem", Resource = "arn:aws:dynamodb:us-west-2:*:table/AggregateTable" },
}
local ok, err = pcall(common.trigger)
assert(not ok and string.find(err.message, "Cannot access stream", 1, true), "the trigger should have been refused")
