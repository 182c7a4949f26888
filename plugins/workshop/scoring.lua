-- The workshop's scoring rule: the scoreboard. Every `interval` seconds, from `first`
-- seconds into the run (when the world's schedule invokes the generator), it notes the
-- aggregates, and `deadline` seconds later compares how much every aggregate changed with
-- what the trades that arrived in the stream meanwhile should have changed: all exact
-- earns `points`, anything else earns 0 and says which keys differ. What should have
-- changed comes from the ledger (ledger.lua) of what really arrived, whoever sent it.
-- When the score reaches `phase_at` the run enters `hard_phase` and ParameterTable's "lab"
-- item becomes 2, which tells the generator to send duplicates and modifications.
local ledger = require("workshop.ledger")
local money = require("workshop.money")
local cents, text = money.cents, money.text
local M = {}

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
  local state = { ledger = ledger.new(), rounds = 0 }
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
      ledger.read(run.aws, p.stream, state.ledger, nil)
      return (snapshot(run.aws, p.table))
    end)
    run.after(p.deadline, function()
      if not ok then return unreadable(before) end
      local expected = { message_count = 0 }
      local read, arrived, ignored, after, odd = pcall(function()
        local arrived, ignored = ledger.read(run.aws, p.stream, state.ledger, expected)
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
  for id in pairs(current.ledger.stale) do
    local version, value = ledger.newest(current.ledger, id)
    stale[id] = { version = version, value = value }
  end
  local entries = current.ledger
  return {
    stale = stale, rounds = current.rounds,
    -- The newest version of a trade that arrived in the stream (nil: it never arrived).
    newest = function(id) return (ledger.newest(entries, id)) end,
  }
end

return M
