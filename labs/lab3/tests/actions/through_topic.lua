-- The on-failure destination is a topic that fans out to BadOrders: the role publishes to
-- the topic, and the queue's policy lets the topic send to it.
local common = require("common")
local topic = aws.sns.create_topic{ Name = "BadOrderAlerts" }.TopicArn
aws.sqs.set_queue_attributes{ QueueUrl = aws.sqs.get_queue_url{ QueueName = "BadOrders" }.QueueUrl, Attributes = {
  Policy = json.encode{ Version = "2012-10-17", Statement = { {
    Effect = "Allow", Principal = { Service = "sns.amazonaws.com" }, Action = "sqs:SendMessage", Resource = common.queue,
    Condition = { ArnEquals = { ["aws:SourceArn"] = topic } } } } } } }
aws.sns.subscribe{ TopicArn = topic, Protocol = "sqs", Endpoint = common.queue }
aws.iam.put_role_policy{ RoleName = "OrderLambdaRole", PolicyName = "bad-order-alerts", PolicyDocument = json.encode{
  Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "sns:Publish", Resource = topic } } } }
aws.lambda.update_event_source_mapping{ UUID = common.uuid(), MaximumRetryAttempts = 2, BisectBatchOnFunctionError = true,
  DestinationConfig = { OnFailure = { Destination = topic } } }
