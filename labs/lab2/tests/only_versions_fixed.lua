return {
  description = "only the version check: a retried reduce batch is counted twice",
  actions = { "actions/fix_versions.lua" },
  expect = {
    passed = false,
    steps = {
      ["prevent-duplicates"] = { passed = true },
      ["idempotent-reduce"] = { passed = false, message = "a retried ReduceLambda batch was applied twice. ReduceLambda's transactions carry no ClientRequestToken" },
    },
    detail = "(more messages than were sent: a batch was counted twice): ",
  },
}
