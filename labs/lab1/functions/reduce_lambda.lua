-- ReduceLambda (Lab 1): adds the partial totals of a batch of ReduceTable messages to
-- AggregateTable in one transaction.
local decimal = require("decimal_text")

return function(event, context)
  local totals, count = {}, 0
  for _, record in ipairs(event.Records) do
    local new = record.dynamodb.NewImage
    if new then
      local message = json.decode(new.Message.S)
      for key, value in pairs(message) do
        if key == "message_count" then
          count = count + value
        else
          totals[key] = (totals[key] or 0) + decimal.cents(value)
        end
      end
    end
  end
  local items = {}
  local function add(key, text)
    items[#items + 1] = { Update = {
      TableName = "AggregateTable",
      Key = { Identifier = { S = key } },
      UpdateExpression = "ADD #value :value",
      ExpressionAttributeNames = { ["#value"] = "Value" },
      ExpressionAttributeValues = { [":value"] = { N = text } },
    } }
  end
  for key, cents in pairs(totals) do add(key, decimal.text(cents)) end
  if count > 0 then add("message_count", tostring(count)) end
  if #items > 0 then
    aws.dynamodb.transact_write_items{ TransactItems = items }
  end
  print("reduced " .. #event.Records .. " messages")
end
