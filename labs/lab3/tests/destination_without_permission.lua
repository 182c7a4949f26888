return {
  description = "Lambda refuses a destination the function's role may not send to, with AWS's words",
  solved_steps = 1, actions = { "actions/destination_without_permission.lua" },
  expect = {
    error = "destination_without_permission.lua:3: InvalidParameterValueException: The provided execution role does not have permissions to call SendMessage on SQS",
  },
}
