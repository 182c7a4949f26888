-- Lab 2 of the event-driven aggregation workshop: exactly once, with duplicates, late
-- modifications and failing functions. It starts where Lab 1 ends (solved, 300 points).
local decimal = require("workshop.money")

return {
  id = "lab2",
  title = "Exactly once under duplicates and failures",
  extends = "lab1",
  plugins = { "workshop" },
  minutes = 10,
  start_score = 300,
  phase = "exactly-once",
  max_score = function(minutes) return 300 + 100 * minutes end,
  scoring = { rule = "workshop.aggregate-score", params = {} },
  passing = function(result)
    if not result.steps_passed then return false end
    for _, m in ipairs(result.minutes) do
      if not m.exact then return false end
    end
    return #result.minutes == result.run_minutes
  end,

  steps = {
    {
      id = "prevent-duplicates",
      title = "Write a trade only when it is newer",
      instructions = "steps/prevent-duplicates.md",
      hints = {
        "Add ConditionExpression = \"attribute_not_exists(id) OR #version < :version\" to StateLambda's update_item.",
        "Catch the ConditionalCheckFailedException with pcall and log it: raising it would fail and retry the whole batch.",
        "Upload your code: aws.lambda.update_function_code{ FunctionName = \"StateLambda\", SourceFile = \"functions/state_lambda.lua\" }",
      },
      check = function(ctx)
        for _, line in ipairs(ctx.logs("StateLambda")) do
          if string.find(line, "ConditionalCheckFailedException", 1, true) and string.find(line, "[ERROR]", 1, true) then
            return false, "StateLambda raised ConditionalCheckFailedException: catch it and log it, so the batch does not fail"
          end
        end
        local generator = ctx.plugins.workshop.generator()
        if generator == nil then return false, "no trades were generated in this run" end
        local checked = 0
        local ids = {}
        for id in pairs(generator.stale) do ids[#ids + 1] = id end
        table.sort(ids)
        for _, id in ipairs(ids) do
          local newest = generator.stale[id]
          local item = ctx.aws.dynamodb.get_item{ TableName = "StateTable", Key = { id = { S = id } } }.Item
          local version = item and tonumber(item.Version.N)
          if version and version < newest.version then
            return false, "StateTable holds version " .. version .. " of trade " .. id .. " although version " ..
              newest.version .. " was sent: an older message overwrote a newer one. Make StateLambda's update conditional on the version"
          end
          checked = checked + 1
        end
        if checked == 0 then return false, "no late, older messages were sent during the run to check against" end
        return true, "no older message overwrote a newer one (" .. checked .. " trades received late versions)"
      end,
      solve = function(aws)
        aws.lambda.update_function_code{ FunctionName = "StateLambda", SourceFile = "solution/state_lambda.lua" }
      end,
    },
    {
      id = "idempotent-reduce",
      title = "Make ReduceLambda's transaction idempotent",
      instructions = "steps/idempotent-reduce.md",
      hints = {
        "Pass ClientRequestToken to transact_write_items: the same batch must give the same token.",
        "A hash of the batch's event IDs works: hashlib.md5(table.concat(ids, \",\")). A random token does not.",
      },
      check = function(ctx)
        local expected = {}
        for _, item in ipairs(ctx.items("ReduceTable")) do
          for key, value in pairs(json.decode(item.Message)) do
            local amount = key == "message_count" and value or decimal.cents(value)
            expected[key] = (expected[key] or 0) + (amount or 0)
          end
        end
        local aggregates = {}
        for _, item in ipairs(ctx.items("AggregateTable")) do
          aggregates[item.Identifier] = item.Identifier == "message_count" and item.Value or decimal.cents(string.format("%.2f", item.Value))
        end
        if (expected.message_count or 0) == 0 then return false, "ReduceTable holds no messages: nothing reached ReduceLambda" end
        local applied = aggregates.message_count or 0
        if applied > expected.message_count then
          return false, "AggregateTable counts " .. math.tointeger(applied) .. " messages but ReduceTable's messages add up to " ..
            math.tointeger(expected.message_count) .. ": a retried ReduceLambda batch was applied twice. Give the transaction a ClientRequestToken derived from the batch"
        end
        local keys = {}
        for key in pairs(expected) do keys[#keys + 1] = key end
        table.sort(keys)
        for _, key in ipairs(keys) do
          if key ~= "message_count" and (aggregates[key] or 0) ~= expected[key] then
            return false, "AggregateTable's " .. key .. " differs from the sum of ReduceTable's messages: a batch was applied twice or not at all"
          end
        end
        if applied < expected.message_count then
          return false, "AggregateTable counts " .. math.tointeger(applied) .. " messages but ReduceTable holds " ..
            math.tointeger(expected.message_count) .. ": some messages were never applied"
        end
        return true, "every ReduceTable message was applied exactly once"
      end,
      solve = function(aws)
        aws.lambda.update_function_code{ FunctionName = "ReduceLambda", SourceFile = "solution/reduce_lambda.lua" }
      end,
    },
  },
}
