-- Concurrency set, but the trigger is created without any new permission: it fails.
aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
local arn = aws.dynamodb.describe_table{ TableName = "ReduceTable" }.Table.LatestStreamArn
local ok, err = pcall(aws.lambda.create_event_source_mapping,
  { FunctionName = "ReduceLambda", EventSourceArn = arn, BatchSize = 1000, StartingPosition = "LATEST" })
assert(not ok and err.code == "InvalidParameterValueException", "the trigger should have been refused")
