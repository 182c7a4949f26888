-- The starting world of the workshop, built through the same `aws` API learners use:
-- the Kinesis stream, the four tables, the four functions with their roles and policies,
-- MapLambda's trigger, already connected (but disabled: step 2 is to check it and enable
-- it), and the schedule that invokes GeneratorLambda every minute.
return function(aws, lab)
  local region, account = lab.region, lab.account

  aws.kinesis.create_stream{ StreamName = "IncomingDataStream", ShardCount = 20 }

  local function table_(name, key, stream)
    local request = {
      TableName = name,
      AttributeDefinitions = { { AttributeName = key, AttributeType = "S" } },
      KeySchema = { { AttributeName = key, KeyType = "HASH" } },
      BillingMode = "PAY_PER_REQUEST",
    }
    if stream then request.StreamSpecification = { StreamEnabled = true, StreamViewType = stream } end
    return aws.dynamodb.create_table(request).TableDescription
  end
  local state = table_("StateTable", "id", "NEW_AND_OLD_IMAGES")
  table_("ReduceTable", "MessageId", "NEW_IMAGE")
  table_("AggregateTable", "Identifier")
  table_("ParameterTable", "parameter")

  local trust = json.encode{
    Version = "2012-10-17",
    Statement = { { Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" } },
  }
  local logs = { Effect = "Allow", Action = { "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents" }, Resource = "*" }
  local parameters = {
    Effect = "Allow", Action = "dynamodb:GetItem",
    Resource = "arn:aws:dynamodb:" .. region .. ":" .. account .. ":table/ParameterTable",
  }
  local function role(name, statements)
    local arn = aws.iam.create_role{ RoleName = name .. "Role", AssumeRolePolicyDocument = trust }.Role.Arn
    local policy = aws.iam.create_policy{
      PolicyName = name .. "Policy",
      PolicyDocument = json.encode{ Version = "2012-10-17", Statement = statements },
    }.Policy.Arn
    aws.iam.attach_role_policy{ RoleName = name .. "Role", PolicyArn = policy }
    return arn
  end

  local stateRole = role("StateLambda", { logs, parameters,
    { Effect = "Allow",
      Action = { "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream",
                 "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:ListStreams" },
      Resource = "arn:aws:kinesis:" .. region .. ":" .. account .. ":stream/IncomingDataStream" },
    { Effect = "Allow", Action = "dynamodb:UpdateItem",
      Resource = "arn:aws:dynamodb:" .. region .. ":" .. account .. ":table/StateTable" },
  })
  local mapRole = role("MapLambda", { logs, parameters,
    { Effect = "Allow",
      Action = { "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams" },
      Resource = "arn:aws:dynamodb:" .. region .. ":" .. account .. ":table/StateTable/stream/*" },
    { Effect = "Allow", Action = "dynamodb:PutItem",
      Resource = "arn:aws:dynamodb:" .. region .. ":" .. account .. ":table/ReduceTable" },
  })
  local reduceRole = role("ReduceLambda", { logs, parameters })
  local generatorRole = role("GeneratorLambda", { logs, parameters,
    { Effect = "Allow", Action = { "kinesis:PutRecord", "kinesis:PutRecords" },
      Resource = "arn:aws:kinesis:" .. region .. ":" .. account .. ":stream/IncomingDataStream" },
  })

  -- Handler names the file and its function, as Lambda's runtimes do: a zip uploaded
  -- later (aws lambda update-function-code --zip-file) must hold state_lambda.lua for
  -- StateLambda, and so on.
  local function func(name, roleArn, timeout, file)
    file = file or lab.functions[name]
    aws.lambda.create_function{
      FunctionName = name, Role = roleArn, Runtime = "provided.al2023", Handler = file:match("([%w_]+)%.lua$") .. ".handler",
      Timeout = timeout, MemorySize = 256, Code = { SourceFile = file },
    }
  end
  func("StateLambda", stateRole, 180)
  func("MapLambda", mapRole, 60)
  func("ReduceLambda", reduceRole, 30)
  -- Not among the functions learners edit: it is the workshop's, not part of the pipeline.
  func("GeneratorLambda", generatorRole, 60, "functions/generator_lambda.lua")

  -- Lab progress, which the generator reads: 1 until the scoreboard moves the run on.
  aws.dynamodb.put_item{ TableName = "ParameterTable", Item = { parameter = { S = "lab" }, value = { N = "1" } } }
  aws.events.put_rule{ Name = "GeneratorSchedule", ScheduleExpression = "rate(1 minute)" }
  aws.events.put_targets{ Rule = "GeneratorSchedule", Targets = { { Id = "generator",
    Arn = "arn:aws:lambda:" .. region .. ":" .. account .. ":function:GeneratorLambda" } } }

  aws.lambda.create_event_source_mapping{
    FunctionName = "MapLambda", EventSourceArn = state.LatestStreamArn, BatchSize = 10000,
    MaximumBatchingWindowInSeconds = 3, StartingPosition = "LATEST", MaximumRetryAttempts = -1,
    BisectBatchOnFunctionError = false, Enabled = false,
  }
end
