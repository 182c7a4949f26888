return {
  description = "the whole lab in one learner's actions file (labs/lab1/solution.lua)",
  actions = { "../solution.lua" },
  -- The same answer with the AWS CLI only (solution.sh) and with boto3 only (solution.py).
  variants = {
    cli = { actions = {}, exec = { "bash ../solution.sh" } },
    boto3 = { actions = {}, exec = { "python3 ../solution.py" } },
  },
  expect = { passed = true, score = 300 },
}
