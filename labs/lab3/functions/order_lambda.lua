-- OrderLambda (Lab 3): stores each order from the Orders stream in OrdersTable.
-- A record that is not an order's JSON makes it fail, and with it the whole batch.
return function(event, context)
  for _, record in ipairs(event.Records) do
    local text = base64.decode(record.kinesis.data)
    local ok, order = pcall(json.decode, text)
    if not ok or type(order) ~= "table" or type(order.orderId) ~= "string" then
      error("malformed order record " .. record.kinesis.sequenceNumber .. ": " .. string.sub(text, 1, 40))
    end
    aws.dynamodb.put_item{
      TableName = "OrdersTable",
      Item = { orderId = { S = order.orderId }, amount = { N = tostring(order.amount) } },
    }
  end
  return { stored = #event.Records }
end
