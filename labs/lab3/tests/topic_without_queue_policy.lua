return {
  description = "a topic whose deliveries BadOrders' policy does not allow keeps no bad record",
  actions = { "actions/topic_without_queue_policy.lua" },
  expect = {
    passed = false,
    steps = { ["unblock-shard"] = { passed = true }, ["keep-bad-records"] = { passed = false, message = "BadOrders holds no record of it: the topic delivers to BadOrders only if the queue's policy lets sns.amazonaws.com send to it" } },
  },
}
