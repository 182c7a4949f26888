-- The differential test's requests through labengine's Lua API. same_requests.py makes the
-- same ones through boto3; both print each response as `RESULT name JSON`.
local function result(name, value) print("RESULT " .. name .. " " .. json.encode(value)) end
local function failure(name, f, request)
  local ok, err = pcall(f, request)
  result(name, ok and { ok = true } or { code = err.code, message = err.message })
end

aws.dynamodb.create_table{ TableName = "Same", BillingMode = "PAY_PER_REQUEST",
  AttributeDefinitions = { { AttributeName = "pk", AttributeType = "S" } }, KeySchema = { { AttributeName = "pk", KeyType = "HASH" } } }
for i = 1, 3 do
  aws.dynamodb.put_item{ TableName = "Same", Item = { pk = { S = "k" .. i }, n = { N = tostring(i * 10) }, b = { B = "\0\1\2" .. i },
    tags = { SS = { "a", "b" .. i } }, nested = { M = { list = { L = { { N = "1" }, { S = "two" }, { BOOL = true }, { NULL = true } } } } } } }
end
result("update", aws.dynamodb.update_item{ TableName = "Same", Key = { pk = { S = "k1" } }, UpdateExpression = "ADD n :d SET note = :t",
  ExpressionAttributeValues = { [":d"] = { N = "5" }, [":t"] = { S = "hi" } }, ReturnValues = "UPDATED_NEW" })
failure("conditional", aws.dynamodb.put_item, { TableName = "Same", Item = { pk = { S = "k2" } }, ConditionExpression = "attribute_not_exists(pk)" })
failure("validation", aws.dynamodb.update_item, { TableName = "Same", Key = { pk = { S = "k2" } }, UpdateExpression = "SET #missing = :v",
  ExpressionAttributeValues = { [":v"] = { N = "1" } } })
result("get", aws.dynamodb.get_item{ TableName = "Same", Key = { pk = { S = "k3" } }, ProjectionExpression = "pk, n, tags" })
result("scan", aws.dynamodb.scan{ TableName = "Same", FilterExpression = "n > :x", ExpressionAttributeValues = { [":x"] = { N = "15" } },
  ProjectionExpression = "pk" }.Count)
aws.dynamodb.transact_write_items{ TransactItems = {
  { Put = { TableName = "Same", Item = { pk = { S = "t1" } } } },
  { Delete = { TableName = "Same", Key = { pk = { S = "k2" } } } } } }
result("delete", aws.dynamodb.delete_item{ TableName = "Same", Key = { pk = { S = "k3" } }, ReturnValues = "ALL_OLD" }.Attributes.pk)

aws.kinesis.create_stream{ StreamName = "SameStream", ShardCount = 2 }
local put = aws.kinesis.put_record{ StreamName = "SameStream", Data = "first", PartitionKey = "p" }
result("put_record", { ShardId = put.ShardId, SequenceNumber = put.SequenceNumber })
result("put_records", aws.kinesis.put_records{ StreamName = "SameStream", Records = {
  { Data = "x", PartitionKey = "a" }, { Data = "y", PartitionKey = "b" } } }.FailedRecordCount)

local trust = json.encode{ Version = "2012-10-17", Statement = { { Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" } } }
local role = aws.iam.create_role{ RoleName = "SameRole", AssumeRolePolicyDocument = trust }.Role.Arn
aws.iam.put_role_policy{ RoleName = "SameRole", PolicyName = "all", PolicyDocument = json.encode{ Version = "2012-10-17",
  Statement = { { Effect = "Allow", Action = { "kinesis:*", "dynamodb:*" }, Resource = "*" } } } }
aws.lambda.create_function{ FunctionName = "SameFn", Role = role, Runtime = "provided.al2023", Handler = "same.handler",
  Code = { Source = "return { handler = function(event) for _, r in ipairs(event.Records or {}) do aws.dynamodb.put_item{ TableName = 'Same', Item = { pk = { S = 'rec-' .. base64.decode(r.kinesis.data) } } } end return { seen = #(event.Records or {}) } end }" } }
local invoked = aws.lambda.invoke{ FunctionName = "SameFn", Payload = json.encode{ Records = {} } }
result("invoke", { StatusCode = invoked.StatusCode, Payload = json.decode(invoked.Payload) })
aws.lambda.create_event_source_mapping{ FunctionName = "SameFn", EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/SameStream",
  StartingPosition = "TRIM_HORIZON", BatchSize = 10 }
result("roles", #aws.iam.list_roles{}.Roles)
