-- The workshop's scoring rule: the scoreboard. Every `interval` seconds, from `first`
-- seconds into the run (when the world's schedule invokes the generator), it notes the
-- aggregates, and `deadline` seconds later compares how much every aggregate changed with
-- what the trades that arrived in the stream meanwhile should have changed: all exact
-- earns `points`, anything else earns 0 and says which keys differ. It reads the stream
-- itself and keeps a ledger of every trade's newest version, so it scores the pipeline
-- against what was really sent, whoever sent it: a duplicate or an older version must
-- change nothing, a newer version replaces the earlier value. When the score reaches
-- `phase_at` the run enters `hard_phase` and ParameterTable's "lab" item becomes 2,
-- which tells the generator to send duplicates and modifications.
local M = {}

local function text(cents)
  local sign = cents < 0 and "-" or ""
  cents = math.abs(cents)
  return string.format("%s%d.%02d", sign, cents // 100, cents % 100)
end

local function cents(value)
  local sign, whole, frac = string.match(value, "^(-?)(%d*)%.?(%d*)$")
  if not whole or #frac > 2 then return nil end
  frac = frac .. string.rep("0", 2 - #frac)
  local v = tonumber(whole ~= "" and whole or "0") * 100 + tonumber(frac)
  return math.tointeger(sign == "-" and -v or v)
end

-- The state of the current run, for the checks that run after it.
local current = nil

local function snapshot(aws, table_name)
  local values, odd = {}, {}
  local start = nil
  repeat
    local page = aws.dynamodb.scan{ TableName = table_name, ExclusiveStartKey = start }
    for _, item in ipairs(page.Items) do
      local key = item.Identifier and item.Identifier.S
      local n = item.Value and item.Value.N
      if key and n then
        local c = key == "message_count" and math.tointeger(tonumber(n)) or cents(n)
        if c then values[key] = c else odd[key] = n end
      end
    end
    start = page.LastEvaluatedKey
  until start == nil
  return values, odd
end

local function add(expected, key, amount)
  expected[key] = (expected[key] or 0) + amount
end

-- A ledger entry is one integer: the version, the hierarchy's number and the value in cents
-- packed together (a run sees 100,000 trades; a table each would cost 20 MB more). What
-- does not fit (a hand-made trade) gets a table.
local function pack(version, h, amount)
  if version >= 0 and version < 0x7FFFFF and h < 256 and amount >= 0 and amount < 0x100000000 then
    return (version << 40) | (h << 32) | amount
  end
  return { version = version, h = h, value = amount }
end

local function unpack_entry(entry)
  if type(entry) == "table" then return entry.version, entry.h, entry.value end
  return entry >> 40, (entry >> 32) & 0xFF, entry & 0xFFFFFFFF
end

-- The aggregate keys of each distinct hierarchy, numbered in the order they are first seen.
local function hierarchy(state, h)
  local id = h.RiskType .. "\0" .. h.TradeDesk .. "\0" .. h.Region
  local n = state.hierarchy_numbers[id]
  if not n then
    n = #state.hierarchies + 1
    state.hierarchies[n] = { h.RiskType, h.RiskType .. ":" .. h.TradeDesk, h.RiskType .. ":" .. h.TradeDesk .. ":" .. h.Region }
    state.hierarchy_numbers[id] = n
  end
  return n
end

--- Takes one message into the ledger; adds to `expected` (when given) how the aggregates
--- should change. Returns false for a message that is not a trade.
local function take(state, data, expected)
  local ok, trade = pcall(json.decode, data)
  if not ok or type(trade) ~= "table" or type(trade.TradeID) ~= "string" or type(trade.Hierarchy) ~= "table"
    or math.type(trade.Version) ~= "integer" or type(trade.Value) ~= "number" then
    return false
  end
  local h = trade.Hierarchy
  if type(h.RiskType) ~= "string" or type(h.TradeDesk) ~= "string" or type(h.Region) ~= "string" then return false end
  local amount = math.floor(trade.Value * 100 + 0.5)
  local entry = state.ledger[trade.TradeID]
  if entry == nil then
    local number = hierarchy(state, h)
    state.ledger[trade.TradeID] = pack(trade.Version, number, amount)
    if expected then
      for _, key in ipairs(state.hierarchies[number]) do add(expected, key, amount) end
      add(expected, "message_count", 1)
    end
    return true
  end
  local version, number, value = unpack_entry(entry)
  if trade.Version > version then
    if expected then
      for _, key in ipairs(state.hierarchies[number]) do add(expected, key, amount - value) end
    end
    state.ledger[trade.TradeID] = pack(trade.Version, number, amount)
  elseif trade.Version < version then
    state.stale[trade.TradeID] = true
  end
  return true
end

--- Reads what arrived in the stream since the last read, in each shard's order.
local function read_stream(run, p, state, expected)
  local aws = run.aws
  if state.iterators == nil then
    local iterators = {}
    for _, shard in ipairs(aws.kinesis.list_shards{ StreamName = p.stream }.Shards) do
      iterators[#iterators + 1] = aws.kinesis.get_shard_iterator{
        StreamName = p.stream, ShardId = shard.ShardId, ShardIteratorType = "TRIM_HORIZON" }.ShardIterator
    end
    state.iterators = iterators
  end
  local arrived, odd = 0, 0
  for i, iterator in ipairs(state.iterators) do
    repeat
      local page = aws.kinesis.get_records{ ShardIterator = iterator }
      for _, record in ipairs(page.Records) do
        arrived = arrived + 1
        if not take(state, record.Data, expected) then odd = odd + 1 end
      end
      iterator = page.NextShardIterator
    until #page.Records == 0
    state.iterators[i] = iterator
  end
  return arrived, odd
end

local function compare(before, after, expected, odd)
  local keys, seen = {}, {}
  for k in pairs(expected) do if not seen[k] then seen[k] = true; keys[#keys + 1] = k end end
  for k in pairs(after) do if not seen[k] then seen[k] = true; keys[#keys + 1] = k end end
  table.sort(keys)
  local wrong = {}
  for _, key in ipairs(keys) do
    local got = (after[key] or 0) - (before[key] or 0)
    local want = expected[key] or 0
    if got ~= want then
      if key == "message_count" then
        wrong[#wrong + 1] = string.format("%s %+d (expected %+d)", key, got, want)
      else
        wrong[#wrong + 1] = string.format("%s %s%s (expected %s%s)", key, got >= 0 and "+" or "", text(got),
          want >= 0 and "+" or "", text(want))
      end
    end
  end
  for key, value in pairs(odd) do wrong[#wrong + 1] = key .. " holds " .. value .. ", not a two-decimal amount" end
  return wrong
end

--- The rule: schedules the rounds of a run.
function M.rule(run, params)
  local p = {
    table = params.table or "AggregateTable",
    stream = params.stream or "IncomingDataStream",
    parameters = params.parameters or "ParameterTable",
    interval = params.interval or 60,
    first = params.first or 5,
    deadline = params.deadline or 30,
    points = params.points or 100,
    hard_phase = params.hard_phase or "exactly-once",
    phase_at = params.phase_at,
  }
  local state = { ledger = {}, stale = {}, hierarchies = {}, hierarchy_numbers = {}, rounds = 0 }
  current = state
  local function announce()
    if run.info().phase == p.hard_phase then
      run.aws.dynamodb.put_item{ TableName = p.parameters, Item = { parameter = { S = "lab" }, value = { N = "2" } } }
    end
  end
  announce()
  local round
  -- A learner may delete the stream or the table: the minute then earns nothing and says
  -- why, rather than stopping the run.
  local function unreadable(err)
    local text = type(err) == "table" and ((err.code or "Error") .. ": " .. tostring(err.message)) or tostring(err)
    run.award{ points = 0, exact = false, detail = "the scoreboard could not read the pipeline's results: " .. text }
  end
  round = function()
    state.rounds = state.rounds + 1
    -- What arrived since the last round is in the ledger but no round's to score.
    local ok, before = pcall(function()
      read_stream(run, p, state, nil)
      return (snapshot(run.aws, p.table))
    end)
    run.after(p.deadline, function()
      if not ok then return unreadable(before) end
      local expected = { message_count = 0 }
      local read, arrived, ignored, after, odd = pcall(function()
        local arrived, ignored = read_stream(run, p, state, expected)
        local after, odd = snapshot(run.aws, p.table)
        return arrived, ignored, after, odd
      end)
      if not read then return unreadable(arrived) end
      if arrived == 0 then
        run.award{ points = 0, exact = false,
          detail = "no trades arrived in " .. p.stream .. " this minute: is the generator's schedule enabled?" }
        return
      end
      local wrong = compare(before, after, expected, odd)
      local note = ignored > 0 and (" (" .. ignored .. " records that are not trades ignored)") or ""
      if #wrong == 0 then
        run.award{ points = p.points, exact = true,
          detail = "every aggregate matches (" .. expected.message_count .. " new trades)" .. note }
      else
        local shown = {}
        for i = 1, math.min(#wrong, 4) do shown[i] = wrong[i] end
        local more = #wrong > 4 and (" and " .. (#wrong - 4) .. " more") or ""
        local counted = after.message_count and before.message_count and
          (after.message_count - (before.message_count or 0)) > (expected.message_count or 0)
        local why = counted and " (more messages than were sent: a batch was counted twice)" or ""
        run.award{ points = 0, exact = false,
          detail = #wrong .. " of the aggregates differ" .. why .. ": " .. table.concat(shown, "; ") .. more .. note }
      end
      if p.phase_at and run.info().score >= p.phase_at and run.info().phase ~= p.hard_phase then
        run.set_phase(p.hard_phase)
        announce()
        run.log("score reached " .. p.phase_at .. ": duplicates, modifications and failures begin")
      end
    end)
    run.after(p.interval, round)
  end
  -- The round notes the aggregates just before the generator's invocation.
  run.after(math.max(p.first - 0.5, 0), round)
end

--- What the scoreboard saw in the last run: `stale` maps each trade that arrived in an
--- older version after a newer one to its newest version (`version`, `value` in cents).
function M.generator_state()
  if current == nil then return nil end
  local stale = {}
  for id in pairs(current.stale) do
    local version, _, value = unpack_entry(current.ledger[id])
    stale[id] = { version = version, value = value }
  end
  return { stale = stale, rounds = current.rounds }
end

return M
