return {
  description = "a deleted AggregateTable fails every minute with the reason, not the run",
  solved_steps = 3, actions = { "actions/deleted_aggregate_table.lua" },
  -- The same mistake made with the AWS CLI: the same step messages.
  variants = { cli = { actions = {}, exec = { "bash cli/deleted_aggregate_table.sh" } } },
  expect = {
    passed = false, score = 0,
    detail = "the scoreboard could not read the pipeline's results: ResourceNotFoundException: Requested resource not found: Table: AggregateTable not found",
  },
}
