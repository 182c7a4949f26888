return {
  description = "a wildcard policy works",
  solved_steps = 2, actions = { "actions/wildcard_policy.lua" },
  -- The same mistake made with the AWS CLI: the same step messages.
  variants = { cli = { actions = {}, exec = { "bash cli/wildcard_policy.sh" } } },
  expect = { passed = true, score = 300, steps = { ["connect-reduce-lambda"] = { passed = true } } },
}
