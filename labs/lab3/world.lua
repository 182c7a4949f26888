-- Lab 3's starting world: the Orders stream, OrdersTable, the BadOrders queue, and
-- OrderLambda with its trigger at AWS's defaults (retry until the record expires).
return function(aws, lab)
  local region, account = lab.region, lab.account
  aws.kinesis.create_stream{ StreamName = "Orders", ShardCount = 2 }
  aws.dynamodb.create_table{
    TableName = "OrdersTable", BillingMode = "PAY_PER_REQUEST",
    AttributeDefinitions = { { AttributeName = "orderId", AttributeType = "S" } },
    KeySchema = { { AttributeName = "orderId", KeyType = "HASH" } },
  }
  aws.sqs.create_queue{ QueueName = "BadOrders" }

  local trust = json.encode{ Version = "2012-10-17", Statement = { {
    Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" } } }
  local role = aws.iam.create_role{ RoleName = "OrderLambdaRole", AssumeRolePolicyDocument = trust }.Role.Arn
  aws.iam.put_role_policy{ RoleName = "OrderLambdaRole", PolicyName = "orders", PolicyDocument = json.encode{
    Version = "2012-10-17",
    Statement = {
      { Effect = "Allow", Action = { "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents" }, Resource = "*" },
      { Effect = "Allow",
        Action = { "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream",
                   "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:ListStreams" },
        Resource = "arn:aws:kinesis:" .. region .. ":" .. account .. ":stream/Orders" },
      { Effect = "Allow", Action = "dynamodb:PutItem",
        Resource = "arn:aws:dynamodb:" .. region .. ":" .. account .. ":table/OrdersTable" },
    },
  } }
  aws.lambda.create_function{
    FunctionName = "OrderLambda", Role = role, Runtime = "provided.al2023", Handler = "order_lambda.handler",
    Timeout = 30, Code = { SourceFile = "functions/order_lambda.lua" },
  }
  aws.lambda.create_event_source_mapping{
    FunctionName = "OrderLambda", EventSourceArn = "arn:aws:kinesis:" .. region .. ":" .. account .. ":stream/Orders",
    BatchSize = 25, StartingPosition = "TRIM_HORIZON",
  }
end
