aws.lambda.update_function_code{ FunctionName = "StateLambda", SourceFile = "functions/state_out_of_memory.lua" }
