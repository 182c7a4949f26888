-- A complete answer to Lab 3 as an actions file: labengine run lab3 --actions labs/lab3/solution.lua
local account = aws.sts.get_caller_identity{}.Account
local queue = "arn:aws:sqs:us-west-2:" .. account .. ":BadOrders"
local uuid = aws.lambda.list_event_source_mappings{ FunctionName = "OrderLambda" }.EventSourceMappings[1].UUID

-- Step 1: give up on a bad record after two retries, splitting failed batches to isolate it.
aws.lambda.update_event_source_mapping{ UUID = uuid, MaximumRetryAttempts = 2, BisectBatchOnFunctionError = true }

-- Step 2: let the role send to BadOrders, and make it the trigger's on-failure destination.
aws.iam.put_role_policy{ RoleName = "OrderLambdaRole", PolicyName = "bad-orders", PolicyDocument = json.encode{
  Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "sqs:SendMessage", Resource = queue } } } }
-- The trigger is Updating for a moment after a change, and refuses another meanwhile.
while aws.lambda.get_event_source_mapping{ UUID = uuid }.State ~= "Enabled" do sleep(1) end
aws.lambda.update_event_source_mapping{ UUID = uuid, DestinationConfig = { OnFailure = { Destination = queue } } }
