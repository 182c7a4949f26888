return {
  description = "reserved concurrency left unset",
  solved_steps = 2, actions = { "actions/concurrency_unset.lua" },
  expect = {
    passed = false,
    steps = { ["connect-reduce-lambda"] = { passed = false, message = "ReduceLambda's reserved concurrency is not set; set it to 1" } },
  },
}
