-- Only the second fix: ReduceLambda's transaction carries a token derived from the batch.
aws.lambda.update_function_code{ FunctionName = "ReduceLambda", SourceFile = "../../solution/reduce_lambda.lua" }
