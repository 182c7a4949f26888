-- A complete answer to Lab 1 as a learner would write it in one actions file
-- (labengine grade lab1 --actions labs/lab1/solution.lua).
local region, account = "us-west-2", aws.sts.get_caller_identity{}.Account

-- Step 1: connect StateLambda to the Kinesis stream.
aws.lambda.create_event_source_mapping{
  FunctionName = "StateLambda",
  EventSourceArn = "arn:aws:kinesis:" .. region .. ":" .. account .. ":stream/IncomingDataStream",
  BatchSize = 100, StartingPosition = "LATEST",
}

-- Step 2: MapLambda's trigger has the right settings; switch it on.
for _, mapping in ipairs(aws.lambda.list_event_source_mappings{ FunctionName = "MapLambda" }.EventSourceMappings) do
  aws.lambda.update_event_source_mapping{ UUID = mapping.UUID, Enabled = true }
end

-- Step 3: one ReduceLambda at a time, allowed to read its stream and update the aggregates.
aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
local policyArn = "arn:aws:iam::" .. account .. ":policy/ReduceLambdaPolicy"
local current = aws.iam.get_policy_version{
  PolicyArn = policyArn, VersionId = aws.iam.get_policy{ PolicyArn = policyArn }.Policy.DefaultVersionId,
}.PolicyVersion.Document
local document = json.decode(current)
table.insert(document.Statement, {
  Effect = "Allow",
  Action = { "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams" },
  Resource = "arn:aws:dynamodb:" .. region .. ":*:table/ReduceTable/stream/*",
})
table.insert(document.Statement, {
  Effect = "Allow", Action = "dynamodb:UpdateItem",
  Resource = "arn:aws:dynamodb:" .. region .. ":*:table/AggregateTable",
})
aws.iam.create_policy_version{ PolicyArn = policyArn, PolicyDocument = json.encode(document), SetAsDefault = true }

local reduceStream = aws.dynamodb.describe_table{ TableName = "ReduceTable" }.Table.LatestStreamArn
aws.lambda.create_event_source_mapping{
  FunctionName = "ReduceLambda", EventSourceArn = reduceStream, BatchSize = 1000, StartingPosition = "LATEST",
}
