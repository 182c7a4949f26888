return {
  description = "a stream statement on the wrong table",
  solved_steps = 2, actions = { "actions/wrong_table_in_arn.lua" },
  -- The same mistake made with the AWS CLI: the same step messages.
  variants = { cli = { actions = {}, exec = { "bash cli/wrong_table_in_arn.sh" } } },
  expect = {
    passed = false, score = 0,
    steps = { ["connect-reduce-lambda"] = { passed = false, message = "cannot perform dynamodb:DescribeStream on arn:aws:dynamodb:us-west-2:123456789012:table/ReduceTable/stream/" } },
  },
}
