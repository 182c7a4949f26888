-- The workshop plugin: the event-driven aggregation workshop's scoring rule (a trade
-- generator with a deadline), its failure modes, and check helpers other labs can reuse.
local checks = require("workshop.checks")
local scoring = require("workshop.scoring")

return {
  name = "workshop",
  version = "1.0",
  api = 1,
  register = function(r)
    r.failure_mode{ name = "invocation-errors", kind = "invocation-error", point = "any",
      description = "An invocation fails before its handler, between its SDK calls, or after it wrote everything." }
    r.failure_mode{ name = "errors-before", kind = "invocation-error", point = "before",
      description = "An invocation fails before its handler runs." }
    r.failure_mode{ name = "errors-between", kind = "invocation-error", point = "between",
      description = "An invocation fails at its second SDK call, after the first took effect." }
    r.failure_mode{ name = "errors-after", kind = "invocation-error", point = "after",
      description = "An invocation fails after its handler returned: every write happened." }
    r.failure_mode{ name = "duplicate-deliveries", kind = "duplicate-delivery",
      description = "A stream batch that was processed is delivered once more." }
    r.failure_mode{ name = "throttling", kind = "throttle",
      description = "An invocation is throttled although concurrency is free." }
    -- DynamoDB's SDKs retry ProvisionedThroughputExceededException themselves; this is the
    -- rare one that is still refused after those retries, and reaches the handler.
    r.failure_mode{ name = "sdk-throttling", kind = "sdk-error", service = "dynamodb",
      error = "ProvisionedThroughputExceededException",
      message = "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
      description = "A DynamoDB call of the function is throttled after the SDK's retries." }

    for name, helper in pairs(checks) do r.check(name, helper) end
    r.scoring("aggregate-score", scoring.rule, { params = {
      "table", "stream", "parameters", "interval", "first", "deadline", "points", "hard_phase", "phase_at",
    } })
    r.check("generator", scoring.generator_state)
    r.reporter("summary", function(report)
      local lines = { report.lab .. ": " .. report.score .. "/" .. report.maxScore .. (report.passed and " passed" or " not passed") }
      for _, step in ipairs(report.steps) do
        lines[#lines + 1] = (step.passed and "[x] " or "[ ] ") .. step.id
      end
      return table.concat(lines, "\n")
    end)
  end,
}
