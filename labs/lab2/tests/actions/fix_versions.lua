-- Only the first fix: StateLambda writes a trade only when it is newer.
aws.lambda.update_function_code{ FunctionName = "StateLambda", SourceFile = "../../solution/state_lambda.lua" }
