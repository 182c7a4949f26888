-- Exact money arithmetic for the pipeline: DynamoDB numbers arrive as decimal text
-- ("1234.5", "-0.07"); they are summed as integer cents and written back as text, so no
-- binary floating point ever touches a total.
local M = {}

function M.cents(text)
  local sign, whole, frac = string.match(text, "^(-?)(%d*)%.?(%d*)$")
  if not whole then error("not a decimal with at most two places: " .. tostring(text), 2) end
  if #frac > 2 then error("more than two decimal places: " .. text, 2) end
  frac = frac .. string.rep("0", 2 - #frac)
  local value = tonumber(whole ~= "" and whole or "0") * 100 + tonumber(frac)
  if sign == "-" then value = -value end
  return math.tointeger(value)
end

function M.text(cents)
  local sign = cents < 0 and "-" or ""
  cents = math.abs(cents)
  return string.format("%s%d.%02d", sign, cents // 100, cents % 100)
end

return M
