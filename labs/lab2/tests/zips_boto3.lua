return {
  description = "both fixes deployed as zips with boto3 (labs/lab2/solution.py)",
  exec = { "python3 ../solution.py" },
  seed = 3,
  expect = { passed = true, score = 1300 },
}
