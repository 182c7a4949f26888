return {
  description = "an explicit deny beats the allow",
  solved_steps = 2, actions = { "actions/explicit_deny.lua" },
  -- The same mistake made with the AWS CLI: the same step messages.
  variants = { cli = { actions = {}, exec = { "bash cli/explicit_deny.sh" } } },
  expect = {
    passed = false, score = 0,
    steps = { ["connect-reduce-lambda"] = { passed = false,
      message = "ReduceLambdaRole cannot perform dynamodb:UpdateItem on arn:aws:dynamodb:us-west-2:123456789012:table/AggregateTable: it is explicitly denied by ReduceLambdaRole/deny-updates statement 1 (NoWrites)" } },
  },
}
