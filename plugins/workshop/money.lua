-- Amounts with at most two decimals as integer cents, so sums of them are exact.
local M = {}

--- The cents of a decimal text ("1234.5", "-0.07"), or nil for text that is not one.
function M.cents(value)
  local sign, whole, frac = string.match(value, "^(-?)(%d*)%.?(%d*)$")
  if not whole or #frac > 2 then return nil end
  frac = frac .. string.rep("0", 2 - #frac)
  local v = tonumber(whole ~= "" and whole or "0") * 100 + tonumber(frac)
  return math.tointeger(sign == "-" and -v or v)
end

--- Cents as decimal text with two places ("-0.07").
function M.text(cents)
  local sign = cents < 0 and "-" or ""
  cents = math.abs(cents)
  return string.format("%s%d.%02d", sign, cents // 100, cents % 100)
end

return M
