-- An empty account for the wire tests: clients build everything through the endpoint.
return {
  id = "wire",
  title = "An empty account for AWS clients",
  minutes = 1,
  max_score = 0,
  steps = {
    {
      id = "stream-left",
      title = "Leave the stream S and no table",
      instructions = "Create the Kinesis stream `S` and delete every table you made.",
      check = function(ctx)
        local streams = ctx.aws.kinesis.list_streams{}.StreamNames
        local tables = ctx.aws.dynamodb.list_tables{}.TableNames
        if #tables > 0 then return false, "tables are left: " .. table.concat(tables, ", ") end
        for _, name in ipairs(streams) do
          if name == "S" then return true, "S is there and no table" end
        end
        return false, "there is no stream S"
      end,
      solve = function(aws) aws.kinesis.create_stream{ StreamName = "S", ShardCount = 1 } end,
    },
  },
}
