-- GeneratorLambda: the workshop's trade source. The GeneratorSchedule rule invokes it every
-- minute; each time it sends 10,000 trades to IncomingDataStream in 250 PutRecords calls of
-- 40, one after the other (about 7 s in all). Once ParameterTable's "lab" item says 2 (Lab 2), each call also carries
-- 5 duplicates, and 3 % of the trades are new or older versions of earlier ones.
-- The scoreboard (the lab's scoring rule) reads what arrived in the stream, so it scores
-- the pipeline against what was really sent.
local STREAM = "IncomingDataStream"
local CALLS, BATCH = 250, 40
local DUPLICATES, MODIFICATION_RATE, POOL_SIZE = 5, 0.03, 20000

local RISK_TYPES = { "PV", "Delta" }
local DESKS = { "FXSpot", "FXOptions" }
local REGIONS = { "EMEA", "APAC", "AMER" }

-- The twelve hierarchies with the start of their message, made once (keys in the order
-- json.encode writes them).
local HIERARCHIES = {}
for r, risk in ipairs(RISK_TYPES) do
  HIERARCHIES[r] = {}
  for d, desk in ipairs(DESKS) do
    HIERARCHIES[r][d] = {}
    for g, region in ipairs(REGIONS) do
      HIERARCHIES[r][d][g] = string.format(
        '{"Hierarchy":{"Region":"%s","RiskType":"%s","TradeDesk":"%s"},"Timestamp":', region, risk, desk)
    end
  end
end

local REST = '%.3f,"TradeID":"%s","Value":%d.%02d,"Version":%d}'
local function message(trade, now)
  return trade.prefix .. string.format(REST, now, trade.id, trade.value // 100, trade.value % 100, trade.version)
end

-- A xorshift generator seeded once per invocation: tens of thousands of draws a minute
-- through random.randint would each cross into the host.
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

-- Trades this execution environment sent, newest last: modifications pick from them.
local pool = {}

local function lab_number()
  local item = aws.dynamodb.get_item{ TableName = "ParameterTable", Key = { parameter = { S = "lab" } } }.Item
  return item and tonumber(item.value.N) or 1
end

return function(event, context)
  local hard = lab_number() >= 2
  local rng = generator(random.randint(1, 0x7FFFFFFFFFFFFFFF))
  local now = time.time()
  local distinct = hard and (BATCH - DUPLICATES) or BATCH
  local sent, duplicates, modified = 0, 0, 0
  local fresh = {}
  for _ = 1, CALLS do
    local records = {}
    for _ = 1, distinct do
      local trade
      if hard and #pool > 0 and rng.float() < MODIFICATION_RATE then
        local earlier = pool[rng.int(1, #pool)]
        modified = modified + 1
        if rng.float() < 0.5 then
          -- A newer version replaces the earlier value.
          earlier.version = earlier.version + 1
          earlier.value = rng.int(0, 10000000)
          trade = earlier
        else
          -- A late, older version: it must change nothing.
          trade = { id = earlier.id, prefix = earlier.prefix, version = earlier.version - 1, value = rng.int(0, 10000000) }
        end
      else
        trade = {
          id = rng.uuid(), version = 1, value = rng.int(0, 10000000),
          prefix = HIERARCHIES[rng.int(1, 2)][rng.int(1, 2)][rng.int(1, 3)],
        }
        fresh[#fresh + 1] = trade
      end
      records[#records + 1] = { Data = message(trade, now), PartitionKey = trade.id }
    end
    if hard then
      for _ = 1, DUPLICATES do records[#records + 1] = records[rng.int(1, distinct)] end
      duplicates = duplicates + DUPLICATES
    end
    aws.kinesis.put_records{ StreamName = STREAM, Records = records }
    sent = sent + #records
  end
  for _, trade in ipairs(fresh) do pool[#pool + 1] = trade end
  if #pool > POOL_SIZE then pool = table.move(pool, #pool - POOL_SIZE + 1, #pool, 1, {}) end
  print(string.format("sent %d records: %d new trades, %d versions of earlier ones, %d duplicates",
    sent, #fresh, modified, duplicates))
  return { sent = sent }
end
