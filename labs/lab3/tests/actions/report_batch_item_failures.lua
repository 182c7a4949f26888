-- The other answer: OrderLambda names the record that failed, Lambda checkpoints the good
-- ones before it, splits what is left, and gives up on the bad record after one retry.
local common = require("common")
aws.lambda.update_function_code{ FunctionName = "OrderLambda", SourceFile = "../../solution/order_lambda.lua" }
common.allow_queue()
aws.lambda.update_event_source_mapping{
  UUID = common.uuid(), FunctionResponseTypes = { "ReportBatchItemFailures" }, BisectBatchOnFunctionError = true,
  MaximumRetryAttempts = 1, DestinationConfig = { OnFailure = { Destination = common.queue } },
}
