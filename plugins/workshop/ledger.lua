-- The scoreboard's ledger: every trade that arrived in the stream, with its newest version,
-- read back from the stream itself. A new TradeID adds its value to its three aggregates
-- and 1 to `message_count`; a newer version replaces the earlier value; a duplicate or an
-- older version changes nothing (and an older one is remembered as stale).
local M = {}

--- A new, empty ledger.
function M.new()
  return { entries = {}, stale = {}, hierarchies = {}, hierarchy_numbers = {}, iterators = nil }
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
  local entry = state.entries[trade.TradeID]
  if entry == nil then
    local number = hierarchy(state, h)
    state.entries[trade.TradeID] = pack(trade.Version, number, amount)
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
    state.entries[trade.TradeID] = pack(trade.Version, number, amount)
  elseif trade.Version < version then
    state.stale[trade.TradeID] = true
  end
  return true
end

--- Reads what arrived in `stream` since the last read, in each shard's order, into the
--- ledger; adds to `expected` (when given) how the aggregates should change. Returns how
--- many records arrived and how many of them were not trades.
function M.read(aws, stream, state, expected)
  if state.iterators == nil then
    local iterators = {}
    for _, shard in ipairs(aws.kinesis.list_shards{ StreamName = stream }.Shards) do
      iterators[#iterators + 1] = aws.kinesis.get_shard_iterator{
        StreamName = stream, ShardId = shard.ShardId, ShardIteratorType = "TRIM_HORIZON" }.ShardIterator
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

--- The newest version and value (in cents) of a trade, or nil.
function M.newest(state, id)
  local entry = state.entries[id]
  if entry == nil then return nil end
  local version, _, value = unpack_entry(entry)
  return version, value
end

return M
