-- The policy allows everything needed, but an inline policy denies updates.
local common = require("common")
aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
common.add_statements{
  { Effect = "Allow", Action = common.stream_read, Resource = "arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/*" },
  { Effect = "Allow", Action = "dynamodb:UpdateItem", Resource = "arn:aws:dynamodb:us-west-2:*:table/AggregateTable" },
}
aws.iam.put_role_policy{ RoleName = "ReduceLambdaRole", PolicyName = "deny-updates", PolicyDocument = json.encode{
  Version = "2012-10-17", Statement = { { Sid = "NoWrites", Effect = "Deny", Action = "dynamodb:UpdateItem", Resource = "*" } } } }
common.trigger()
