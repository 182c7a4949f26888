return {
  description = "a maximum record age unblocks the shard only after a minute, and the orders behind the bad record come late",
  actions = { "actions/max_record_age.lua" },
  expect = {
    passed = false, score_below = 500,
    steps = { ["keep-bad-records"] = { passed = true } },
  },
}
