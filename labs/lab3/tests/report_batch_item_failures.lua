return {
  description = "ReportBatchItemFailures with a retry limit and a destination reaches full marks",
  actions = { "actions/report_batch_item_failures.lua" },
  expect = {
    passed = true, score = 500,
    logs = { OrderLambda = { contains = "bad order record" } },
    metrics = { OrderLambda = { errors = { at_most = 0 } } },
  },
}
