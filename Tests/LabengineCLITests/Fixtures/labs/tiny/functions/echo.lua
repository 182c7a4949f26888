-- Writes every record it gets to Echoes.
return function(event, context)
  for _, record in ipairs(event.Records) do
    aws.dynamodb.put_item{ TableName = "Echoes", Item = { id = { S = base64.decode(record.kinesis.data) } } }
  end
end
