-- Lab 1 solved in one actions file (the determinism test runs it in several processes).
local acct = aws.sts.get_caller_identity{}.Account
aws.lambda.create_event_source_mapping{ BatchSize = 100, EventSourceArn = "arn:aws:kinesis:us-west-2:" .. acct .. ":stream/IncomingDataStream", FunctionName = "StateLambda", StartingPosition = "LATEST" }
for _, m in ipairs(aws.lambda.list_event_source_mappings{ FunctionName = "MapLambda" }.EventSourceMappings) do
  aws.lambda.update_event_source_mapping{ UUID = m.UUID, Enabled = true }
end
aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
local policy = "arn:aws:iam::" .. acct .. ":policy/ReduceLambdaPolicy"
aws.iam.create_policy_version{ PolicyArn = policy, SetAsDefault = true, PolicyDocument = json.encode{ Version = "2012-10-17", Statement = {
  { Effect = "Allow", Action = { "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents" }, Resource = "*" },
  { Effect = "Allow", Action = "dynamodb:GetItem", Resource = "*" },
  { Effect = "Allow", Action = { "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams" }, Resource = "*" },
  { Effect = "Allow", Action = "dynamodb:UpdateItem", Resource = "*" } } } }
aws.lambda.create_event_source_mapping{ BatchSize = 1000, EventSourceArn = aws.dynamodb.describe_table{ TableName = "ReduceTable" }.Table.LatestStreamArn, FunctionName = "ReduceLambda", StartingPosition = "LATEST" }
