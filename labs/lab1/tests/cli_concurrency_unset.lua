-- The same mistake as concurrency_unset.lua, made with the AWS CLI: the same step messages.
return {
  description = "reserved concurrency left unset, with the AWS CLI",
  solved_steps = 2, exec = { "bash cli/concurrency_unset.sh" },
  expect = {
    passed = false,
    steps = { ["connect-reduce-lambda"] = { passed = false, message = "ReduceLambda's reserved concurrency is not set; set it to 1" } },
  },
}
