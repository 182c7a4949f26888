return {
  description = "a retry limit without bisecting loses the good orders batched with a bad record",
  actions = { "actions/retry_without_bisect.lua" },
  expect = {
    passed = false, score_below = 500,
    steps = { ["unblock-shard"] = { passed = false, message = "good orders never reached OrdersTable: the trigger gave up on whole batches" } },
  },
}
