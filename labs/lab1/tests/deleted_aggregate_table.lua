return {
  description = "a deleted AggregateTable fails every minute with the reason, not the run",
  solved_steps = 3, actions = { "actions/deleted_aggregate_table.lua" },
  expect = {
    passed = false, score = 0,
    detail = "the scoreboard could not read the pipeline's results: ResourceNotFoundException: Requested resource not found: Table: AggregateTable not found",
  },
}
