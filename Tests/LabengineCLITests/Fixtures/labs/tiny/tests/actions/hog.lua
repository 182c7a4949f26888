-- Echo doubles a string until it runs out of memory on every attempt: the run stops at the
-- lab's CPU budget (function_cpu_per_minute = 1).
aws.lambda.update_function_code{ FunctionName = "Echo", Source = "return function() local s = 'x' while true do s = s .. s end end" }
aws.lambda.create_event_source_mapping{ FunctionName = "Echo", StartingPosition = "TRIM_HORIZON",
  EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/Input" }
