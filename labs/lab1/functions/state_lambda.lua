-- StateLambda (Lab 1): stores the latest state of each trade in StateTable.
-- Triggered by IncomingDataStream (Kinesis).
local MAX_AGE_SECONDS = 60

return function(event, context)
  local now = time.time()
  for _, record in ipairs(event.Records) do
    local trade = json.decode(base64.decode(record.kinesis.data))
    if now - trade.Timestamp <= MAX_AGE_SECONDS then
      aws.dynamodb.update_item{
        TableName = "StateTable",
        Key = { id = { S = trade.TradeID } },
        UpdateExpression = "SET #value = :value, #version = :version, #hierarchy = :hierarchy, #timestamp = :timestamp",
        ExpressionAttributeNames = {
          ["#value"] = "Value", ["#version"] = "Version", ["#hierarchy"] = "Hierarchy", ["#timestamp"] = "Timestamp",
        },
        ExpressionAttributeValues = {
          [":value"] = { N = tostring(trade.Value) },
          [":version"] = { N = tostring(trade.Version) },
          [":hierarchy"] = { S = json.encode(trade.Hierarchy) },
          [":timestamp"] = { N = tostring(trade.Timestamp) },
        },
      }
    else
      print("skipping trade " .. trade.TradeID .. ": older than " .. MAX_AGE_SECONDS .. " s")
    end
  end
  return { processed = #event.Records }
end
