return {
  description = "the bad records reach BadOrders through an SNS topic the queue subscribes to (inside SNS's envelope)",
  actions = { "actions/through_topic.lua" },
  expect = { passed = true, score = 500 },
}
