-- Check helpers: each returns ok, message, where the message says precisely what is missing.
-- When not ok, a fourth value names the problem (a setting's API name, "missing", "denied"),
-- so a lab's check can name the hint that fits. The third stays nil: a check that returns a
-- helper's values directly must not name a hint its step does not have.
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
    return false, fn .. " has no trigger from " .. what .. " yet: create an event source mapping from it to " .. fn, nil, "missing"
  end
  for _, key in ipairs({ "BatchSize", "MaximumBatchingWindowInSeconds", "StartingPosition", "MaximumRetryAttempts",
                         "BisectBatchOnFunctionError", "ParallelizationFactor" }) do
    local want = expected[key]
    if want ~= nil and m[key] ~= want then
      return false, fn .. "'s trigger from " .. what .. " has " .. key .. " " .. tostring(m[key]) ..
        "; the step asks for " .. tostring(want), nil, key
    end
  end
  if expected.State and m.State ~= expected.State then
    return false, fn .. "'s trigger from " .. what .. " is " .. m.State .. ", not " .. expected.State, nil, "State"
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
        return false, role .. " cannot perform " .. action .. " on " .. resource .. ": it is explicitly denied by " .. tostring(statement), nil, "denied"
      end
      return false, role .. " cannot perform " .. action .. " on " .. resource .. ": no statement of its policies allows it" ..
        M.newer_versions(ctx, role), nil, "denied"
    end
  end
  return true, role .. " may perform " .. table.concat(actions, ", ") .. " on " .. resource
end

--- "; <policy> has a newer version … that is not the default" for the role's managed
--- policies, or "": a version created without SetAsDefault changes nothing.
function M.newer_versions(ctx, role)
  local notes = {}
  for _, attached in ipairs(ctx.aws.iam.list_attached_role_policies{ RoleName = role }.AttachedPolicies) do
    local default, newest
    for _, v in ipairs(ctx.aws.iam.list_policy_versions{ PolicyArn = attached.PolicyArn }.Versions) do
      local n = tonumber(string.match(v.VersionId, "%d+"))
      if v.IsDefaultVersion then default = n end
      if n and (newest == nil or n > newest) then newest = n end
    end
    if default and newest and newest > default then
      notes[#notes + 1] = attached.PolicyName .. " has a newer version, v" .. newest .. ", that is not its default (v" .. default ..
        "): only the default version counts; create it with SetAsDefault = true or call set_default_policy_version"
    end
  end
  if #notes == 0 then return "" end
  return "; " .. table.concat(notes, "; ")
end

--- Whether `table_name` holds at least one item.
function M.table_has_items(ctx, table_name)
  local ok, page = pcall(ctx.aws.dynamodb.scan, { TableName = table_name, Limit = 1 })
  if not ok then
    if type(page) == "table" and page.code == "ResourceNotFoundException" then
      return false, table_name .. " does not exist: it was deleted", nil, "missing-table"
    end
    error(page, 0)
  end
  if page.Count == 0 then return false, table_name .. " has no items yet", nil, "empty" end
  return true, table_name .. " has items"
end

--- Whether `fn` was invoked, and how often it failed.
function M.invoked(ctx, fn)
  local m = ctx.metrics(fn)
  if m.invocations == 0 then return false, fn .. " has not been invoked yet", nil, "not-invoked" end
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
