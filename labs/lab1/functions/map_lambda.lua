-- MapLambda: pre-aggregates a batch of StateTable changes and writes the partial totals
-- to ReduceTable, once per batch (a retried batch has the same MessageId).
local decimal = require("decimal_text")

-- There are only twelve hierarchies: decode each text once per execution environment.
local leaves_by_text = {}
local function leaf(image)
  local text = image.Hierarchy.S
  local known = leaves_by_text[text]
  if not known then
    local h = json.decode(text)
    known = h.RiskType .. ":" .. h.TradeDesk .. ":" .. h.Region
    leaves_by_text[text] = known
  end
  return known
end

return function(event, context)
  local leaves, count, ids = {}, 0, {}
  for i, record in ipairs(event.Records) do
    ids[i] = record.eventID
    local new, old = record.dynamodb.NewImage, record.dynamodb.OldImage
    if new then
      local key = leaf(new)
      leaves[key] = (leaves[key] or 0) + decimal.cents(new.Value.N)
      if old then
        local oldKey = leaf(old)
        leaves[oldKey] = (leaves[oldKey] or 0) - decimal.cents(old.Value.N)
      else
        count = count + 1
      end
    end
  end
  -- Roll the leaves up the hierarchy: leaf -> risk type:desk -> risk type.
  local totals = {}
  for key, cents in pairs(leaves) do
    local r, d = string.match(key, "^([^:]+):([^:]+):")
    totals[key] = (totals[key] or 0) + cents
    totals[r .. ":" .. d] = (totals[r .. ":" .. d] or 0) + cents
    totals[r] = (totals[r] or 0) + cents
  end
  local message = { message_count = count }
  for key, cents in pairs(totals) do message[key] = decimal.text(cents) end

  local id = hashlib.sha256(table.concat(ids, ","))
  local ok, err = pcall(aws.dynamodb.put_item, {
    TableName = "ReduceTable",
    Item = { MessageId = { S = id }, Message = { S = json.encode(message) } },
    ConditionExpression = "attribute_not_exists(MessageId)",
  })
  if not ok then
    if err.code ~= "ConditionalCheckFailedException" then error(err) end
    print("batch " .. id .. " was already written")
  end
end
