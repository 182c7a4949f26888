return {
  description = "with only the stream statement ReduceLambda cannot update AggregateTable",
  solved_steps = 2, actions = { "actions/only_stream_permissions.lua" },
  -- The same mistake made with the AWS CLI: the same step messages.
  variants = { cli = { actions = {}, exec = { "bash cli/only_stream_permissions.sh" } } },
  expect = {
    passed = false, score = 0,
    steps = { ["connect-reduce-lambda"] = { passed = false,
      message = "ReduceLambdaRole cannot perform dynamodb:UpdateItem on arn:aws:dynamodb:us-west-2:123456789012:table/AggregateTable: no statement of its policies allows it" } },
    detail = "19 of the aggregates differ: Delta +0.00 (expected +",
  },
}
