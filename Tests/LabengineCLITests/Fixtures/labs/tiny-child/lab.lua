-- Starts from tiny, solved; its phase turns the failure mode on from the start.
return {
  id = "tiny-child",
  title = "Tiny lab, with failures",
  extends = "tiny",
  plugins = { "testkit" },
  minutes = 1,
  phase = "hard",
  max_score = 0,
  scoring = { rule = "testkit.counter", params = { every = 20, wait = 10, count = 5, points = 50 } },
  steps = {
    {
      id = "observe",
      title = "See the failures",
      check = function(ctx)
        local m = ctx.metrics("Echo")
        return m.errors > 0, "Echo failed " .. m.errors .. " times"
      end,
      solve = function(aws) end,
    },
  },
}
