-- Creates the table `Ordered`, for the test of --actions and --exec order.
aws.dynamodb.create_table{ TableName = "Ordered", BillingMode = "PAY_PER_REQUEST",
  AttributeDefinitions = { { AttributeName = "id", AttributeType = "S" } }, KeySchema = { { AttributeName = "id", KeyType = "HASH" } } }
