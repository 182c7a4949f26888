-- Lab 2 of the event-driven aggregation workshop: exactly once, with duplicates, late
-- modifications and failing functions. It starts where Lab 1 ends (solved, 300 points).
local decimal = require("workshop.money")

return {
  id = "lab2",
  title = "Exactly once under duplicates and failures",
  description = "The pipeline from lab 1 now gets duplicates, late older versions, failing invocations and throttled writes. Make StateLambda's writes conditional and ReduceLambda's transaction idempotent, so every minute's aggregates stay exact.",
  extends = "lab1",
  plugins = { "workshop" },
  minutes = 10,
  start_score = 300,
  phase = "exactly-once",
  max_score = function(minutes) return 300 + 100 * minutes end,
  scoring = { rule = "workshop.aggregate-score", params = {} },
  -- On top of lab 1's invocation errors: now and then a StateTable write is throttled past
  -- the SDK's own retries, and the handler gets ProvisionedThroughputExceededException.
  failures = {
    { mode = "workshop.sdk-throttling", phase = "exactly-once", rates = { StateLambda = 0.002 } },
  },
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
        default = {
          "Messages arrive late and out of order: an older version of a trade can come after a newer one.",
          "DynamoDB can refuse a write that would go backwards: a ConditionExpression on update_item makes the write happen only if the item's current version is older.",
          "Add ConditionExpression = \"attribute_not_exists(id) OR #version < :version\" to StateLambda's update_item, then upload it: aws.lambda.update_function_code{ FunctionName = \"StateLambda\", SourceFile = \"functions/state_lambda.lua\" }",
        },
        ["swallow-all"] = {
          "Your pcall catches more than the refused condition.",
          "On AWS, a DynamoDB write can also fail because it was throttled. A handler that swallows that error loses the write: the invocation succeeds, so Lambda never retries the batch.",
          "Inside the pcall's error branch, log and go on only when err.code == \"ConditionalCheckFailedException\"; otherwise error(err), so the batch fails and is retried.",
        },
        ["caught-failure"] = {
          "Your condition works, but a refused write now fails the whole invocation.",
          "A ConditionalCheckFailedException that StateLambda raises fails its batch, and Lambda retries the batch from the start.",
          "Wrap the update_item in pcall, and when err.code is \"ConditionalCheckFailedException\" log it and go on; raise any other error again.",
        },
      },
      check = function(ctx)
        for _, line in ipairs(ctx.logs("StateLambda")) do
          if string.find(line, "ConditionalCheckFailedException", 1, true) and string.find(line, "[ERROR]", 1, true) then
            return false, "StateLambda raised ConditionalCheckFailedException: catch it and log it, so the batch does not fail", "caught-failure"
          end
        end
        local generator = ctx.plugins.workshop.generator()
        if generator == nil then return false, "no trades were generated in this run" end
        -- A throttled write the handler swallowed is lost: Lambda retries only a batch that
        -- failed. Checked first, since a lost newer write also leaves an older version behind.
        -- A handler that raises the error fails one invocation per refused write; one that
        -- retries in code loses nothing. (A write refused in the last 30 s may still be retried.)
        local info = ctx.info()
        local refused, lost = 0, nil
        for _, call in ipairs(ctx.faults().refused) do
          local id = call["function"] == "StateLambda" and call.operation == "UpdateItem" and call.key and call.key.id
          if id then
            refused = refused + 1
            local newest = generator.newest(id)
            if lost == nil and newest and call.time < info.unix_time - 30 then
              local item = ctx.aws.dynamodb.get_item{ TableName = "StateTable", Key = { id = { S = id } } }.Item
              local have = item and tonumber(item.Version.N)
              if have == nil or have < newest then lost = { id = id, version = newest } end
            end
          end
        end
        local summary = ctx.functions().StateLambda
        local raised = summary and summary.errorTypes and summary.errorTypes.ProvisionedThroughputExceededException or 0
        if lost and raised < refused then
          return false, "StateLambda lost a write: its update of trade " .. lost.id .. " was refused with ProvisionedThroughputExceededException, " ..
            "but the invocation did not fail, so Lambda did not retry the batch and StateTable never got version " .. lost.version ..
            ". A pcall that swallows every error hides throttling: handle ConditionalCheckFailedException and raise any other error", "swallow-all"
        end
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
        default = {
          "When ReduceLambda fails after its transaction committed, Lambda retries the same batch, and the sums are added twice.",
          "transact_write_items takes a ClientRequestToken: for 10 minutes, a repeated request with the same token is not applied again. The token must be the same on every retry of a batch, so derive it from the batch, not from chance or the clock.",
          "Pass ClientRequestToken = hashlib.md5(table.concat(ids, \",\")), where ids are the batch's record eventIDs, then upload ReduceLambda.",
        },
        token = {
          "Your transaction has a token, but a retried batch must present the same one.",
          "DynamoDB recognises a retry only by an identical token: a random or time-based token is new on every call.",
          "Build the token from the batch itself: hashlib.md5(table.concat(ids, \",\")) over the records' eventIDs.",
        },
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
          local twice = "AggregateTable counts " .. math.tointeger(applied) .. " messages but ReduceTable's messages add up to " ..
            math.tointeger(expected.message_count) .. ": a retried ReduceLambda batch was applied twice"
          local t = ctx.transactions()
          if t.with_token == 0 then
            return false, twice .. ". ReduceLambda's transactions carry no ClientRequestToken: give them one derived from the batch"
          end
          -- A token that is new on every call never repeats, so DynamoDB never recognises a retry.
          return false, twice .. ", although ReduceLambda passes a ClientRequestToken: " ..
            (t.replayed == 0 and "no retry ever repeated a token" or "some retries got a different token") ..
            ". The token must be the same on every retry of a batch: derive it from the batch's records (their eventIDs), not from chance or the clock", "token"
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
