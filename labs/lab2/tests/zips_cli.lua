return {
  description = "both fixes deployed as zips with the AWS CLI (labs/lab2/solution.sh)",
  exec = { "bash ../solution.sh" },
  seed = 7,
  expect = { passed = true, score = 1300 },
}
