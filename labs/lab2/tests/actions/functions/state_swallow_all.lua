-- A learner's StateLambda whose pcall swallows every error, not only the refused condition:
-- a throttled write is lost without a trace.
local MAX_AGE_SECONDS = 60

return function(event, context)
  local now = time.time()
  for _, record in ipairs(event.Records) do
    local trade = json.decode(base64.decode(record.kinesis.data))
    if now - trade.Timestamp <= MAX_AGE_SECONDS then
      local ok, err = pcall(aws.dynamodb.update_item, {
        TableName = "StateTable",
        Key = { id = { S = trade.TradeID } },
        UpdateExpression = "SET #value = :value, #version = :version, #hierarchy = :hierarchy, #timestamp = :timestamp",
        ConditionExpression = "attribute_not_exists(id) OR #version < :version",
        ExpressionAttributeNames = {
          ["#value"] = "Value", ["#version"] = "Version", ["#hierarchy"] = "Hierarchy", ["#timestamp"] = "Timestamp",
        },
        ExpressionAttributeValues = {
          [":value"] = { N = tostring(trade.Value) },
          [":version"] = { N = tostring(trade.Version) },
          [":hierarchy"] = { S = json.encode(trade.Hierarchy) },
          [":timestamp"] = { N = tostring(trade.Timestamp) },
        },
      })
      if not ok then
        print("ignoring version " .. trade.Version .. " of " .. trade.TradeID .. ": " .. tostring(err.code))
      end
    end
  end
end
