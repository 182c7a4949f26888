-- Everything right but the trigger's batch size.
local common = require("common")
aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
common.add_statements{
  { Effect = "Allow", Action = common.stream_read, Resource = "arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/*" },
  { Effect = "Allow", Action = "dynamodb:UpdateItem", Resource = "arn:aws:dynamodb:us-west-2:*:table/AggregateTable" },
}
common.trigger(100)
