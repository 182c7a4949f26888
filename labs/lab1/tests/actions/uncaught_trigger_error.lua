-- The same mistake without pcall: the actions stop at this line.
aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
local arn = aws.dynamodb.describe_table{ TableName = "ReduceTable" }.Table.LatestStreamArn
aws.lambda.create_event_source_mapping{ FunctionName = "ReduceLambda", EventSourceArn = arn, BatchSize = 1000, StartingPosition = "LATEST" }
