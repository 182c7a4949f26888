-- OrderLambda, reporting its bad records instead of failing the batch: with
-- FunctionResponseTypes = { "ReportBatchItemFailures" } Lambda retries from the first
-- record named, and the good records before it are checkpointed.
return function(event, context)
  for _, record in ipairs(event.Records) do
    local text = base64.decode(record.kinesis.data)
    local ok, order = pcall(json.decode, text)
    if not ok or type(order) ~= "table" or type(order.orderId) ~= "string" then
      print("bad order record " .. record.kinesis.sequenceNumber)
      return { batchItemFailures = { { itemIdentifier = record.kinesis.sequenceNumber } } }
    end
    aws.dynamodb.put_item{
      TableName = "OrdersTable",
      Item = { orderId = { S = order.orderId }, amount = { N = tostring(order.amount) } },
    }
  end
  return { batchItemFailures = {} }
end
