return {
  description = "a pcall that swallows every error loses throttled writes",
  actions = { "actions/swallow_all.lua", "actions/fix_token.lua" },
  expect = {
    passed = false,
    steps = {
      ["prevent-duplicates"] = { passed = false, hint = "swallow-all",
        message = "was refused with ProvisionedThroughputExceededException, but the invocation did not fail" },
      ["idempotent-reduce"] = { passed = true },
    },
    logs = { StateLambda = { contains = "ProvisionedThroughputExceededException" } },
  },
}
