-- ReduceLambda (Lab 2): the transaction carries a token derived from the batch, so a
-- retried batch (same records, same token) within ten minutes changes nothing.

-- Amounts are two-decimal texts; as integer cents they add exactly.
local function to_cents(text) return math.floor(tonumber(text) * 100 + 0.5) end
local function from_cents(c)
  return string.format("%s%d.%02d", c < 0 and "-" or "", math.abs(c) // 100, math.abs(c) % 100)
end

return function(event, context)
  local totals, count, ids = {}, 0, {}
  for i, record in ipairs(event.Records) do
    ids[i] = record.eventID
    local new = record.dynamodb.NewImage
    if new then
      for key, value in pairs(json.decode(new.Message.S)) do
        if key == "message_count" then count = count + value
        else totals[key] = (totals[key] or 0) + to_cents(value) end
      end
    end
  end
  local items = {}
  local function add(key, amount)
    items[#items + 1] = { Update = {
      TableName = "AggregateTable", Key = { Identifier = { S = key } },
      UpdateExpression = "ADD #value :value", ExpressionAttributeNames = { ["#value"] = "Value" },
      ExpressionAttributeValues = { [":value"] = { N = amount } },
    } }
  end
  for key, c in pairs(totals) do add(key, from_cents(c)) end
  if count > 0 then add("message_count", tostring(count)) end
  if #items > 0 then
    aws.dynamodb.transact_write_items{
      TransactItems = items,
      ClientRequestToken = hashlib.md5(table.concat(ids, ",")),
    }
  end
end
