-- Check helpers: each returns ok, message, where the message says precisely what is missing.
local M = {}

local function arn_matches(arn, fragment)
  return arn ~= nil and string.find(arn, fragment, 1, true) ~= nil
end

--- The event source mapping of `fn` whose source ARN contains `source` (plain text), or nil.
function M.trigger(ctx, fn, source)
  for _, m in ipairs(ctx.mappings(fn)) do
    if arn_matches(m.EventSourceArn, source) then return m end
  end
  return nil
end

--- Whether `fn` has a trigger from `source` with the `expected` settings (API names).
function M.trigger_settings(ctx, fn, source, expected, what)
  local m = M.trigger(ctx, fn, source)
  if not m then
    return false, fn .. " has no trigger from " .. what .. " yet: create an event source mapping from it to " .. fn
  end
  for _, key in ipairs({ "BatchSize", "MaximumBatchingWindowInSeconds", "StartingPosition", "MaximumRetryAttempts",
                         "BisectBatchOnFunctionError", "ParallelizationFactor" }) do
    local want = expected[key]
    if want ~= nil and m[key] ~= want then
      return false, fn .. "'s trigger from " .. what .. " has " .. key .. " " .. tostring(m[key]) ..
        "; the step asks for " .. tostring(want)
    end
  end
  if expected.State and m.State ~= expected.State then
    return false, fn .. "'s trigger from " .. what .. " is " .. m.State .. ", not " .. expected.State
  end
  return true, fn .. "'s trigger from " .. what .. " is set up", m
end

--- The reserved concurrency of `fn`, or nil when none is set.
function M.reserved_concurrency(ctx, fn)
  return ctx.aws.lambda.get_function_concurrency{ FunctionName = fn }.ReservedConcurrentExecutions
end

--- Whether role `role` may perform every action of `actions` on `resource`; the message
--- names the first action that is denied and why.
function M.can(ctx, role, actions, resource)
  for _, action in ipairs(actions) do
    local allowed, decision, statement = ctx.iam.allowed(role, action, resource)
    if not allowed then
      if decision == "explicitDeny" then
        return false, role .. " cannot perform " .. action .. " on " .. resource .. ": it is explicitly denied by " .. tostring(statement)
      end
      return false, role .. " cannot perform " .. action .. " on " .. resource .. ": no statement of its policies allows it"
    end
  end
  return true, role .. " may perform " .. table.concat(actions, ", ") .. " on " .. resource
end

--- Whether `table_name` holds at least one item.
function M.table_has_items(ctx, table_name)
  local page = ctx.aws.dynamodb.scan{ TableName = table_name, Limit = 1 }
  if page.Count == 0 then return false, table_name .. " has no items yet" end
  return true, table_name .. " has items"
end

--- Whether `fn` was invoked, and how often it failed.
function M.invoked(ctx, fn)
  local m = ctx.metrics(fn)
  if m.invocations == 0 then return false, fn .. " has not been invoked yet" end
  return true, fn .. " was invoked " .. m.invocations .. " times (" .. m.errors .. " errors)", m
end

--- Whether `fn`'s log holds a line containing `text`.
function M.logged(ctx, fn, text)
  for _, line in ipairs(ctx.logs(fn)) do
    if string.find(line, text, 1, true) then return true, line end
  end
  return false, fn .. " never logged \"" .. text .. "\""
end

return M
