-- The same mistake as wrong_batch_size.lua, made with the AWS CLI: the same step messages.
return {
  description = "the reducer's trigger with batch size 100, with the AWS CLI",
  solved_steps = 2, exec = { "bash cli/wrong_batch_size.sh" },
  expect = {
    passed = false,
    steps = { ["connect-reduce-lambda"] = { passed = false, message = "ReduceLambda's trigger from ReduceTable's stream has BatchSize 100; the step asks for 1000" } },
  },
}
