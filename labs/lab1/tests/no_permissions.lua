return {
  description = "the trigger is refused without stream permissions",
  solved_steps = 2, actions = { "actions/no_permissions.lua" },
  -- The same mistake made with the AWS CLI: the same step messages.
  variants = { cli = { actions = {}, exec = { "bash cli/no_permissions.sh" } } },
  expect = {
    passed = false, score = 0,
    steps = {
      ["connect-state-lambda"] = { passed = true },
      ["connect-reduce-lambda"] = { passed = false,
        message = "ReduceLambdaRole cannot perform dynamodb:DescribeStream on arn:aws:dynamodb:us-west-2:123456789012:table/ReduceTable/stream/" },
    },
  },
}
