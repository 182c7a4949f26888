-- A reducer whose token is random: a retried batch gets a new token and is added again.
return function(event)
  local sums, messages = {}, 0
  for _, r in ipairs(event.Records) do
    if r.dynamodb.NewImage then
      for k, v in pairs(json.decode(r.dynamodb.NewImage.Message.S)) do
        if k == "message_count" then messages = messages + v else sums[k] = (sums[k] or 0) + math.floor(tonumber(v) * 100 + 0.5) end
      end
    end
  end
  local writes = {}
  for k, c in pairs(sums) do
    writes[#writes + 1] = { Update = { TableName = "AggregateTable", Key = { Identifier = { S = k } }, UpdateExpression = "ADD #v :v",
      ExpressionAttributeNames = { ["#v"] = "Value" }, ExpressionAttributeValues = { [":v"] = { N = string.format("%.2f", c / 100) } } } }
  end
  if messages > 0 then
    writes[#writes + 1] = { Update = { TableName = "AggregateTable", Key = { Identifier = { S = "message_count" } }, UpdateExpression = "ADD #v :v",
      ExpressionAttributeNames = { ["#v"] = "Value" }, ExpressionAttributeValues = { [":v"] = { N = tostring(messages) } } } }
  end
  if #writes > 0 then
    aws.dynamodb.transact_write_items{ TransactItems = writes, ClientRequestToken = string.format("%08x%08x", random.randint(0, 2^31), random.randint(0, 2^31)) }
  end
end
