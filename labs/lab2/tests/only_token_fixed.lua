return {
  description = "only the token: late, older versions overwrite newer ones",
  actions = { "actions/fix_token.lua" },
  expect = {
    passed = false,
    steps = {
      ["prevent-duplicates"] = { passed = false, message = "an older message overwrote a newer one" },
      ["idempotent-reduce"] = { passed = true },
    },
  },
}
