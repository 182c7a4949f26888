-- The same mistake as wildcard_policy.lua, made with the AWS CLI: the same step messages.
return {
  description = "a wildcard policy works, with the AWS CLI",
  solved_steps = 2, exec = { "bash cli/wildcard_policy.sh" },
  expect = { passed = true, score = 300, steps = { ["connect-reduce-lambda"] = { passed = true } } },
}
