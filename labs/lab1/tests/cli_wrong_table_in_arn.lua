-- The same mistake as wrong_table_in_arn.lua, made with the AWS CLI: the same step messages.
return {
  description = "a stream statement on the wrong table, with the AWS CLI",
  solved_steps = 2, exec = { "bash cli/wrong_table_in_arn.sh" },
  expect = {
    passed = false, score = 0,
    steps = { ["connect-reduce-lambda"] = { passed = false, message = "cannot perform dynamodb:DescribeStream on arn:aws:dynamodb:us-west-2:123456789012:table/ReduceTable/stream/" } },
  },
}
