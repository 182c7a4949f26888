return {
  description = "both fixes, as a learner uploads them: every minute is exact",
  actions = { "actions/fix_versions.lua", "actions/fix_token.lua" },
  seed = 7,
  expect = { passed = true, score = 1300 },
}
