-- As through_topic.lua, but the queue has no policy: the topic's deliveries are refused.
local common = require("common")
local topic = aws.sns.create_topic{ Name = "BadOrderAlerts" }.TopicArn
aws.sns.subscribe{ TopicArn = topic, Protocol = "sqs", Endpoint = common.queue }
aws.iam.put_role_policy{ RoleName = "OrderLambdaRole", PolicyName = "bad-order-alerts", PolicyDocument = json.encode{
  Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "sns:Publish", Resource = topic } } } }
aws.lambda.update_event_source_mapping{ UUID = common.uuid(), MaximumRetryAttempts = 2, BisectBatchOnFunctionError = true,
  DestinationConfig = { OnFailure = { Destination = topic } } }
