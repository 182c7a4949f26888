return {
  description = "the whole lab in one learner's actions file (labs/lab1/solution.lua)",
  actions = { "../solution.lua" },
  expect = { passed = true, score = 300 },
}
