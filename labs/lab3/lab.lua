-- Lab 3: a poison record that blocks a shard. Orders flow from a Kinesis stream through
-- OrderLambda into OrdersTable; now and then a record is not an order, OrderLambda fails on
-- it, and with the trigger's defaults Lambda retries that batch until the record expires.
local REGION, ACCOUNT = "us-west-2", "123456789012"
local GOOD_POINTS, BAD_POINTS = 100, 50
-- When the bad records are sent, in seconds after the start; and how late an order may
-- arrive and still count as on time.
local BAD_AT, SLACK = { 20, 70 }, 15

local function queue_arn(account) return "arn:aws:sqs:" .. REGION .. ":" .. account .. ":BadOrders" end
local function account_of(aws) return aws.sts.get_caller_identity{}.Account end

-- A changed trigger is Updating for a moment, and AWS refuses to change it again meanwhile:
-- wait until it has settled, as a script on a real account does.
local function settled(aws, uuid)
  while true do
    local state = aws.lambda.get_event_source_mapping{ UUID = uuid }.State
    if state == "Enabled" or state == "Disabled" then return end
    sleep(1)
  end
end

-- What the run sent: good orders { id, time } and bad records { seq, shard, time }
-- (Unix seconds). Set when scoring starts; the checks read it.
local traffic

-- OrderLambda's trigger from the stream, or nil and what the step says when it is gone.
local function mapping_of(ctx)
  for _, m in ipairs(ctx.mappings("OrderLambda")) do
    if string.find(m.EventSourceArn, ":stream/Orders", 1, true) then return m end
  end
  return nil, "OrderLambda has no trigger from the Orders stream any more: create it again"
end

-- Kinesis sequence numbers are decimal digits: longer is later, then digit by digit.
local function seq_le(a, b) return #a < #b or (#a == #b and a <= b) end

-- The bad records that an on-failure record in the queue covers (same shard, in its range).
local function found_bad(messages, bad)
  local found = {}
  for _, message in ipairs(messages) do
    local ok, record = pcall(json.decode, message.body)
    -- Through an SNS topic (without raw delivery) the record is the envelope's Message.
    if ok and type(record) == "table" and record.Type == "Notification" and type(record.Message) == "string" then
      ok, record = pcall(json.decode, record.Message)
    end
    local info = ok and type(record) == "table" and record.KinesisBatchInfo
    if info then
      for i, b in ipairs(bad) do
        if info.shardId == b.shard and seq_le(info.startSequenceNumber, b.seq) and seq_le(b.seq, info.endSequenceNumber) then
          found[i] = true
        end
      end
    end
  end
  return found
end

-- Whether `destination` is an SNS topic with BadOrders subscribed (the queue's policy
-- decides whether the topic's deliveries arrive; the records in the queue show that).
local function topic_delivers(ctx, destination, queue)
  if not string.find(destination, "^arn:aws:sns:") then return false end
  local ok, listed = pcall(ctx.aws.sns.list_subscriptions_by_topic, { TopicArn = destination })
  if not ok then return false end
  for _, s in ipairs(listed.Subscriptions or {}) do
    if s.Protocol == "sqs" and s.Endpoint == queue then return true end
  end
  return false
end

local function stored_ids(items)
  local ids = {}
  for _, item in ipairs(items) do ids[item.orderId] = true end
  return ids
end

return {
  id = "lab3",
  title = "Unblock a shard a poison record stopped",
  description = "OrderLambda fails on records that are not orders, and its trigger retries the failing batch for as long as the record lives: one bad record stops its shard. Make the shard flow again without losing good orders, and keep the bad records in the BadOrders queue.",
  region = REGION,
  account = ACCOUNT,
  minutes = 4,
  -- The workshop's account was set up a while ago: OrderLambda's trigger is Enabled, not
  -- still Creating, when the learner arrives.
  world_age = 5,
  max_score = function(minutes)
    local bad = 0
    for _, at in ipairs(BAD_AT) do if at <= minutes * 60 - SLACK then bad = bad + 1 end end
    return GOOD_POINTS * minutes + BAD_POINTS * bad
  end,
  world = require("world"),
  functions = { OrderLambda = "functions/order_lambda.lua" },

  register = function(r)
    r.check("traffic", function() return traffic end)
    r.check("found_bad", found_bad)
    -- Two orders every 2 s, a bad record among three orders at each of BAD_AT; each minute, points for the share of
    -- the orders sent SLACK s before that have arrived, and for each bad record newly found
    -- in BadOrders.
    r.scoring("orders", function(run, params)
      traffic = { good = {}, bad = {} }
      local n, counted = 0, {}
      -- entries: { id = orderId or nil for a bad record, record = a PutRecords entry }.
      local function put(entries)
        local records = {}
        for i, e in ipairs(entries) do records[i] = e.record end
        local result = run.aws.kinesis.put_records{ StreamName = "Orders", Records = records }
        for i, entry in ipairs(result.Records) do
          if entries[i].id then
            traffic.good[#traffic.good + 1] = { id = entries[i].id, time = run.unix_time() }
          else
            traffic.bad[#traffic.bad + 1] = { seq = entry.SequenceNumber, shard = entry.ShardId, time = run.unix_time() }
          end
        end
      end
      local function order(key)
        n = n + 1
        local id = string.format("order-%04d", n)
        return { id = id, record = { PartitionKey = key or id, Data = json.encode{ orderId = id, amount = run.randint(1, 500) } } }
      end
      local function orders()
        put{ order(), order() }
        run.after(2, orders)
      end
      run.after(1, orders)
      -- A bad record among good orders of one partition key: one shard, one batch.
      for _, at in ipairs(BAD_AT) do
        run.after(at, function()
          local key = "burst-" .. at
          put{ order(key), order(key), { record = { PartitionKey = key, Data = "{\"orderId\": \"order-" .. at } }, order(key) }
        end)
      end
      local function round()
        local cutoff = run.unix_time() - SLACK
        local ok, items = pcall(run.items, "OrdersTable")
        local ids = ok and stored_ids(items) or {}
        local expected, arrived = 0, 0
        for _, o in ipairs(traffic.good) do
          if o.time <= cutoff then
            expected = expected + 1
            if ids[o.id] then arrived = arrived + 1 end
          end
        end
        local good = expected == 0 and params.points or params.points * arrived // expected
        local okq, messages = pcall(run.messages, "BadOrders")
        local found = found_bad(okq and messages or {}, traffic.bad)
        local newly = 0
        for i in pairs(found) do
          if not counted[i] then counted[i], newly = true, newly + 1 end
        end
        local detail = arrived .. " of " .. expected .. " orders arrived"
        if newly > 0 then detail = detail .. ", " .. newly .. " bad record(s) found in BadOrders" end
        run.award{ points = good + newly * params.bad_points, exact = arrived == expected, detail = detail }
        run.after(60, round)
      end
      run.after(60, round)
    end, { params = { "points", "bad_points" } })
  end,
  scoring = { rule = "orders", params = { points = GOOD_POINTS, bad_points = BAD_POINTS } },

  steps = {
    {
      id = "unblock-shard",
      title = "Make the shard flow again without losing good orders",
      instructions = "steps/unblock-shard.md",
      hints = {
        default = {
          "Look at OrderLambda's errors and at its trigger's settings: what does Lambda do with a batch that keeps failing?",
          "By default a stream trigger retries a failed batch until its records expire (MaximumRetryAttempts and MaximumRecordAgeInSeconds are -1), and the shard waits meanwhile. A retry limit or a maximum record age makes Lambda give up on the batch.",
          "aws.lambda.update_event_source_mapping{ UUID = <the trigger's UUID>, MaximumRetryAttempts = 2, BisectBatchOnFunctionError = true }",
        },
        lost = {
          "The shard flows again, but good orders are missing from OrdersTable.",
          "When Lambda gives up on a batch it discards all of it, the good orders with the bad record. Splitting a failing batch in two (BisectBatchOnFunctionError) isolates the bad record, and splits don't consume the retry quota; a handler can also name the record that failed (ReportBatchItemFailures).",
          "aws.lambda.update_event_source_mapping{ UUID = <the trigger's UUID>, BisectBatchOnFunctionError = true }",
        },
      },
      check = function(ctx)
        local m, gone = mapping_of(ctx)
        if not m then return false, gone end
        if not traffic then return false, "no orders were sent in this run" end
        local now = ctx.info().unix_time
        local ids = stored_ids(ctx.items("OrdersTable"))
        local missing, due_bad = 0, 0
        for _, o in ipairs(traffic.good) do
          if o.time <= now - SLACK and not ids[o.id] then missing = missing + 1 end
        end
        for _, b in ipairs(traffic.bad) do
          if b.time <= now - SLACK then due_bad = due_bad + 1 end
        end
        local limited = m.MaximumRetryAttempts >= 0 or m.MaximumRecordAgeInSeconds >= 0
        if not limited and (missing > 0 or due_bad > 0) then
          return false, "OrderLambda's trigger retries a failing batch for as long as its records live (MaximumRetryAttempts and MaximumRecordAgeInSeconds are -1): " ..
            "a bad record blocks its shard, and " .. missing .. " orders sent more than " .. SLACK .. " s ago have not reached OrdersTable"
        end
        if missing > 0 then
          local splits = m.BisectBatchOnFunctionError or #(m.FunctionResponseTypes or {}) > 0
          if not splits then
            return false, missing .. " good orders never reached OrdersTable: the trigger gave up on whole batches, and the good orders in a batch with a bad record were discarded with it", "lost"
          end
          return false, missing .. " orders sent more than " .. SLACK .. " s ago have not reached OrdersTable yet"
        end
        if due_bad == 0 then return false, "no bad record has been sent yet to test the trigger with" end
        return true, "every order sent more than " .. SLACK .. " s ago reached OrdersTable, and the trigger gives up on a bad record"
      end,
      solve = function(aws)
        local uuid = aws.lambda.list_event_source_mappings{ FunctionName = "OrderLambda" }.EventSourceMappings[1].UUID
        aws.lambda.update_event_source_mapping{ UUID = uuid, MaximumRetryAttempts = 2, BisectBatchOnFunctionError = true }
      end,
    },
    {
      id = "keep-bad-records",
      title = "Keep the bad records in the BadOrders queue",
      instructions = "steps/keep-bad-records.md",
      hints = {
        default = {
          "A batch Lambda gives up on leaves no trace unless the trigger has somewhere to send it.",
          "A stream trigger's DestinationConfig.OnFailure names an SQS queue (or SNS topic) that gets a record of each discarded batch: its shard and sequence range. The function's role must be allowed sqs:SendMessage on the queue.",
          "aws.iam.put_role_policy{ RoleName = \"OrderLambdaRole\", PolicyName = \"bad-orders\", PolicyDocument = <allow sqs:SendMessage on the BadOrders queue's ARN> }, then aws.lambda.update_event_source_mapping{ UUID = <its UUID>, DestinationConfig = { OnFailure = { Destination = <the queue's ARN> } } }",
        },
      },
      check = function(ctx)
        local m, gone = mapping_of(ctx)
        if not m then return false, gone end
        local arn = queue_arn(ctx.info().account)
        local destination = m.DestinationConfig and m.DestinationConfig.OnFailure and m.DestinationConfig.OnFailure.Destination
        if destination == nil then
          return false, "OrderLambda's trigger has no on-failure destination: the bad records it gives up on leave no trace. Send them to " .. arn
        end
        if destination ~= arn and not topic_delivers(ctx, destination, arn) then
          return false, "OrderLambda's trigger sends what it gives up on to " .. destination .. ", not to BadOrders (" .. arn .. "), directly or through a topic BadOrders subscribes to"
        end
        if not traffic then return false, "no orders were sent in this run" end
        local found = found_bad(ctx.messages("BadOrders"), traffic.bad)
        local now, count = ctx.info().unix_time, 0
        for i, b in ipairs(traffic.bad) do
          if found[i] then
            count = count + 1
          elseif b.time <= now - SLACK and b.time >= m.LastModified then
            local why = destination ~= arn
              and ": the topic delivers to BadOrders only if the queue's policy lets sns.amazonaws.com send to it for this topic (aws:SourceArn)"
              or ""
            return false, "the bad record " .. b.seq .. " of " .. b.shard .. " was sent after the destination was set, but BadOrders holds no record of it" .. why
          end
        end
        if count == 0 then return false, "no bad record has reached BadOrders yet" end
        return true, count .. " bad record(s) kept in BadOrders for inspection"
      end,
      solve = function(aws)
        local arn = queue_arn(account_of(aws))
        aws.iam.put_role_policy{ RoleName = "OrderLambdaRole", PolicyName = "bad-orders", PolicyDocument = json.encode{
          Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "sqs:SendMessage", Resource = arn } } } }
        local uuid = aws.lambda.list_event_source_mappings{ FunctionName = "OrderLambda" }.EventSourceMappings[1].UUID
        settled(aws, uuid)
        aws.lambda.update_event_source_mapping{ UUID = uuid, DestinationConfig = { OnFailure = { Destination = arn } } }
      end,
    },
  },
}
