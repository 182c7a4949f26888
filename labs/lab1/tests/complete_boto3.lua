return {
  description = "the whole lab with boto3 (labs/lab1/solution.py)",
  exec = { "python3 ../solution.py" },
  expect = { passed = true, score = 300 },
}
