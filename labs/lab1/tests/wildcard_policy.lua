return {
  description = "a wildcard policy works",
  solved_steps = 2, actions = { "actions/wildcard_policy.lua" },
  expect = { passed = true, score = 300, steps = { ["connect-reduce-lambda"] = { passed = true } } },
}
