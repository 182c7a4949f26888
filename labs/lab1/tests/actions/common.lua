-- Shared by the scenarios' actions files: add statements to ReduceLambdaPolicy, and the trigger.
local M = {}

function M.add_statements(statements, not_default)
  local arn = "arn:aws:iam::123456789012:policy/ReduceLambdaPolicy"
  local version = aws.iam.get_policy{ PolicyArn = arn }.Policy.DefaultVersionId
  local document = json.decode(aws.iam.get_policy_version{ PolicyArn = arn, VersionId = version }.PolicyVersion.Document)
  for _, s in ipairs(statements) do table.insert(document.Statement, s) end
  aws.iam.create_policy_version{ PolicyArn = arn, PolicyDocument = json.encode(document), SetAsDefault = not not_default }
end

M.stream_read = { "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams" }

function M.trigger(batch_size)
  return aws.lambda.create_event_source_mapping{
    FunctionName = "ReduceLambda", BatchSize = batch_size or 1000, StartingPosition = "LATEST",
    EventSourceArn = aws.dynamodb.describe_table{ TableName = "ReduceTable" }.Table.LatestStreamArn,
  }
end

return M
