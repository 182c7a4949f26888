return {
  description = "an uncaught error stops the actions and names the file and line",
  solved_steps = 2, actions = { "actions/uncaught_trigger_error.lua" },
  expect = {
    passed = false,
    error = "uncaught_trigger_error.lua:4: InvalidParameterValueException: Cannot access stream arn:aws:dynamodb:us-west-2:123456789012:table/ReduceTable/stream/",
  },
}
