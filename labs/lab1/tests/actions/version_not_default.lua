-- The right statements, in a new policy version that is not the default: IAM ignores it.
local common = require("common")
aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
common.add_statements({
  { Effect = "Allow", Action = common.stream_read, Resource = "arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/*" },
  { Effect = "Allow", Action = "dynamodb:UpdateItem", Resource = "arn:aws:dynamodb:us-west-2:*:table/AggregateTable" },
}, true)
local ok, err = pcall(common.trigger)
print("trigger:", ok and "created" or err.code)
