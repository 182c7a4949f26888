return {
  description = "reserved concurrency left unset",
  solved_steps = 2, actions = { "actions/concurrency_unset.lua" },
  -- The same mistake made with the AWS CLI: the same step messages.
  variants = { cli = { actions = {}, exec = { "bash cli/concurrency_unset.sh" } } },
  expect = {
    passed = false,
    steps = { ["connect-reduce-lambda"] = { passed = false, message = "ReduceLambda's reserved concurrency is not set; set it to 1" } },
  },
}
