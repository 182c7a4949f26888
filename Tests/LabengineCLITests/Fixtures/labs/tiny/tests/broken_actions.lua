return {
  description = "a syntax error in the actions is reported with its line",
  actions = { "actions/broken.lua" },
  expect = { passed = false, error = "broken.lua:2:" },
}
