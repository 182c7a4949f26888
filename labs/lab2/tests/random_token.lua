return {
  description = "a token that is not derived from the batch does not help",
  actions = { "actions/fix_versions.lua", "actions/random_token.lua" },
  expect = {
    passed = false,
    steps = { ["idempotent-reduce"] = { passed = false, message = "applied twice" } },
  },
}
