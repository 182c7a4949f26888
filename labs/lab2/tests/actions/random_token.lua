-- A token that changes on every retry: it does not make the reducer idempotent.
aws.lambda.update_function_code{ FunctionName = "ReduceLambda", SourceFile = "functions/reduce_random_token.lua" }
