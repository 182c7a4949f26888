return {
  description = "the reducer's trigger with batch size 100",
  solved_steps = 2, actions = { "actions/wrong_batch_size.lua" },
  -- The same mistake made with the AWS CLI: the same step messages.
  variants = { cli = { actions = {}, exec = { "bash cli/wrong_batch_size.sh" } } },
  expect = {
    passed = false,
    steps = { ["connect-reduce-lambda"] = { passed = false, message = "ReduceLambda's trigger from ReduceTable's stream has BatchSize 100; the step asks for 1000" } },
  },
}
