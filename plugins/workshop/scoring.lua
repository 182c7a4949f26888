-- The workshop's scoring rule. Every `interval` seconds a generator sends
-- `trades_per_round` trades to the stream (in PutRecords calls of `batch`), and
-- `deadline` seconds later compares how much every aggregate changed with what it sent:
-- all exact earns `points`, anything else earns 0 and says which keys differ.
-- In phase `hard_phase` the generator also sends duplicates and modifications.
local M = {}

local RISK_TYPES = { "PV", "Delta" }
local DESKS = { "FXSpot", "FXOptions" }
local REGIONS = { "EMEA", "APAC", "AMER" }

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

-- The twelve hierarchies, made once: each carries the three aggregate keys a trade of it
-- changes and the start of its message, so the generator's hot loop builds no strings
-- for them (it makes 10,000 trades a minute).
local HIERARCHIES = {}
for r, risk in ipairs(RISK_TYPES) do
  HIERARCHIES[r] = {}
  for d, desk in ipairs(DESKS) do
    HIERARCHIES[r][d] = {}
    for g, region in ipairs(REGIONS) do
      HIERARCHIES[r][d][g] = {
        RiskType = risk, TradeDesk = desk, Region = region,
        keys = { risk, risk .. ":" .. desk, risk .. ":" .. desk .. ":" .. region },
        -- Keys in json.encode's order.
        prefix = string.format('{"Hierarchy":{"Region":"%s","RiskType":"%s","TradeDesk":"%s"},"Timestamp":', region, risk, desk),
      }
    end
  end
end

local function apply(expected, trade, amount)
  local keys = trade.hierarchy.keys
  for i = 1, 3 do
    local key = keys[i]
    expected[key] = (expected[key] or 0) + amount
  end
end

local REST = '%.3f,"TradeID":"%s","Value":%d.%02d,"Version":%d}'
local function message(trade, now)
  local value = trade.value
  return trade.hierarchy.prefix .. string.format(REST, now, trade.id, value // 100, value % 100, trade.version)
end

-- A xorshift generator seeded from the run's seed each round: the generator draws tens of
-- thousands of numbers a minute, and calling into the engine for each would dominate.
local function generator(seed)
  local x = seed ~= 0 and seed or 0x2545F4914F6CDD1D
  local function next_int()
    x = x ~ (x << 13)
    x = x ~ (x >> 7)
    x = x ~ (x << 17)
    return x
  end
  local rng = {}
  function rng.int(a, b) return a + (next_int() >> 1) % (b - a + 1) end
  function rng.float() return ((next_int() >> 11) & 0x1FFFFFFFFFFFFF) / 9007199254740992.0 end
  function rng.uuid()
    return string.format("%08x-%04x-4%03x-%04x-%012x", rng.int(0, 0xFFFFFFFF), rng.int(0, 0xFFFF), rng.int(0, 0xFFF),
      0x8000 | rng.int(0, 0x3FFF), rng.int(0, 0xFFFFFFFFFFFF))
  end
  return rng
end

--- One round: build the messages and the expected change of every aggregate.
local function generate(run, p, state, hard)
  local rng = generator(run.randint(1, 0x7FFFFFFFFFFFFFFF))
  local expected = { message_count = 0 }
  local calls = {}
  local pool = state.pool
  local fresh = {}
  local now = run.unix_time()
  for call = 1, p.calls do
    local records = {}
    local distinct = hard and (p.batch - p.duplicates) or p.batch
    for _ = 1, distinct do
      local trade
      if hard and #pool > 0 and rng.float() < p.modification_rate then
        local earlier = pool[rng.int(1, #pool)]
        if rng.float() < 0.5 then
          -- A newer version replaces the earlier value.
          local value = rng.int(0, 10000000)
          apply(expected, earlier, value - earlier.value)
          earlier.version = earlier.version + 1
          earlier.value = value
          trade = earlier
        else
          -- An older version: it must change nothing.
          trade = { id = earlier.id, hierarchy = earlier.hierarchy, version = earlier.version - 1,
                    value = rng.int(0, 10000000) }
          state.stale[earlier.id] = earlier
        end
      else
        trade = {
          id = rng.uuid(), version = 1, value = rng.int(0, 10000000),
          hierarchy = HIERARCHIES[rng.int(1, 2)][rng.int(1, 2)][rng.int(1, 3)],
        }
        apply(expected, trade, trade.value)
        expected.message_count = expected.message_count + 1
        fresh[#fresh + 1] = trade
      end
      records[#records + 1] = { Data = message(trade, now), PartitionKey = trade.id }
    end
    if hard then
      for _ = 1, p.duplicates do
        records[#records + 1] = records[rng.int(1, distinct)]
      end
    end
    calls[call] = records
  end
  for _, trade in ipairs(fresh) do pool[#pool + 1] = trade end
  if #pool > p.pool_size then
    -- Keep the newest trades; one move instead of shifting the list per removal.
    state.pool = table.move(pool, #pool - p.pool_size + 1, #pool, 1, {})
  end
  return calls, expected
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
    interval = params.interval or 60,
    first = params.first or 5,
    deadline = params.deadline or 30,
    points = params.points or 100,
    calls = params.calls or 250,
    batch = params.batch or 40,
    spacing = params.spacing or 0.02,
    duplicates = params.duplicates or 5,
    modification_rate = params.modification_rate or 0.03,
    hard_phase = params.hard_phase or "exactly-once",
    phase_at = params.phase_at,
    pool_size = params.pool_size or 20000,
  }
  local state = { pool = {}, stale = {}, rounds = 0 }
  current = state
  local round
  round = function()
    state.rounds = state.rounds + 1
    local hard = run.info().phase == p.hard_phase
    local before, _ = snapshot(run.aws, p.table)
    local calls, expected = generate(run, p, state, hard)
    for i, records in ipairs(calls) do
      run.after((i - 1) * p.spacing, function()
        run.aws.kinesis.put_records{ StreamName = p.stream, Records = records }
      end)
    end
    run.after(p.deadline, function()
      local after, odd = snapshot(run.aws, p.table)
      local wrong = compare(before, after, expected, odd)
      if #wrong == 0 then
        run.award{ points = p.points, exact = true, detail = "every aggregate matches (" .. expected.message_count .. " new trades)" }
      else
        local shown = {}
        for i = 1, math.min(#wrong, 4) do shown[i] = wrong[i] end
        local more = #wrong > 4 and (" and " .. (#wrong - 4) .. " more") or ""
        local counted = after.message_count and before.message_count and
          (after.message_count - (before.message_count or 0)) > (expected.message_count or 0)
        local why = counted and " (more messages than were sent: a batch was counted twice)" or ""
        run.award{ points = 0, exact = false,
          detail = #wrong .. " of the aggregates differ" .. why .. ": " .. table.concat(shown, "; ") .. more }
      end
      if p.phase_at and run.info().score >= p.phase_at and run.info().phase ~= p.hard_phase then
        run.set_phase(p.hard_phase)
        run.log("score reached " .. p.phase_at .. ": duplicates, modifications and failures begin")
      end
    end)
    run.after(p.interval, round)
  end
  run.after(p.first, round)
end

--- What the generator sent in the last run: trades it sent stale versions of (id -> the
--- newest version and value), for checks.
function M.generator_state()
  return current
end

return M
