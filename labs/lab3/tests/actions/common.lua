-- Shared by the scenarios: OrderLambda's trigger, by its UUID.
local M = {}
function M.uuid()
  return aws.lambda.list_event_source_mappings{ FunctionName = "OrderLambda" }.EventSourceMappings[1].UUID
end
-- The trigger's UUID once a change before this file has settled: a changed trigger is
-- Updating for a moment, and AWS refuses to change it again meanwhile.
function M.settled()
  local uuid = M.uuid()
  while aws.lambda.get_event_source_mapping{ UUID = uuid }.State ~= "Enabled" do sleep(1) end
  return uuid
end
M.queue = "arn:aws:sqs:us-west-2:123456789012:BadOrders"
function M.allow_queue()
  aws.iam.put_role_policy{ RoleName = "OrderLambdaRole", PolicyName = "bad-orders", PolicyDocument = json.encode{
    Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "sqs:SendMessage", Resource = M.queue } } } }
end
return M
