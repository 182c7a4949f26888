return {
  description = "both fixes, as a learner uploads them: every minute is exact",
  actions = { "actions/fix_versions.lua", "actions/fix_token.lua" },
  -- The same fixes deployed as zips with the AWS CLI (solution.sh) and with boto3 (solution.py).
  variants = {
    cli = { actions = {}, exec = { "bash ../solution.sh" } },
    boto3 = { actions = {}, exec = { "python3 ../solution.py" } },
  },
  seed = 7,
  expect = { passed = true, score = 1300 },
}
