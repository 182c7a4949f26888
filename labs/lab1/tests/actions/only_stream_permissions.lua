-- The stream may be read, so the trigger works; AggregateTable may not be updated.
local common = require("common")
aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
common.add_statements{ { Effect = "Allow", Action = common.stream_read, Resource = "arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/*" } }
common.trigger()
