return {
  description = "the whole lab with the AWS CLI (labs/lab1/solution.sh)",
  exec = { "bash ../solution.sh" },
  expect = { passed = true, score = 300 },
}
