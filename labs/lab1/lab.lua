-- Lab 1 of the event-driven aggregation workshop: connect the pipeline
-- Kinesis -> StateLambda -> StateTable stream -> MapLambda -> ReduceTable stream -> ReduceLambda.
-- ARNs are built from the running account's ID: a live session gives every learner an
-- account of their own.
local REGION, ACCOUNT = "us-west-2", "123456789012"
local function stream_arn(account) return "arn:aws:kinesis:" .. REGION .. ":" .. account .. ":stream/IncomingDataStream" end
local function aggregate_arn(account) return "arn:aws:dynamodb:" .. REGION .. ":" .. account .. ":table/AggregateTable" end
local function account_of(aws) return aws.sts.get_caller_identity{}.Account end

local function stream_of(ctx, table_name)
  return ctx.aws.dynamodb.describe_table{ TableName = table_name }.Table.LatestStreamArn
end

return {
  id = "lab1",
  title = "Connect the serverless aggregation pipeline",
  description = "Trades flow into a Kinesis stream, but nothing reads them yet. Connect three Lambda functions through event source mappings, reserved concurrency and IAM policies until the scoreboard's aggregates are exact every minute.",
  region = REGION,
  account = ACCOUNT,
  plugins = { "workshop" },
  minutes = 3,
  -- The account was set up 55 s before the learner starts: the schedule's first
  -- invocation of GeneratorLambda comes 5 s into the run.
  world_age = 55,
  max_score = 300,
  world = require("world"),
  functions = {
    StateLambda = "functions/state_lambda.lua",
    MapLambda = "functions/map_lambda.lua",
    ReduceLambda = "functions/reduce_lambda.lua",
  },
  scoring = { rule = "workshop.aggregate-score", params = { phase_at = 300 } },
  failures = {
    { mode = "workshop.invocation-errors", phase = "exactly-once",
      rates = { StateLambda = 0.05, MapLambda = 0.10, ReduceLambda = 0.10 } },
  },

  steps = {
    {
      id = "connect-state-lambda",
      title = "Connect StateLambda to the Kinesis stream",
      instructions = "steps/connect-state-lambda.md",
      hints = {
        default = {
          "Nothing calls StateLambda yet: a Lambda function reads a Kinesis stream only through a trigger.",
          "A trigger is an event source mapping: Lambda polls the stream's shards and invokes the function with batches of up to BatchSize records, starting at StartingPosition.",
          "aws.lambda.create_event_source_mapping{ FunctionName = \"StateLambda\", EventSourceArn = aws.kinesis.describe_stream_summary{ StreamName = \"IncomingDataStream\" }.StreamDescriptionSummary.StreamARN, BatchSize = 100, StartingPosition = \"LATEST\" }",
        },
        ["batch-size"] = {
          "The trigger exists; look at how many records it hands StateLambda at a time.",
          "BatchSize is a setting of the mapping, and update_event_source_mapping changes it without deleting the trigger.",
          "aws.lambda.update_event_source_mapping{ UUID = <the mapping's UUID>, BatchSize = 100 }",
        },
      },
      check = function(ctx)
        local w = ctx.plugins.workshop
        local ok, message, _, problem = w.trigger_settings(ctx, "StateLambda", stream_arn(ctx.info().account), { BatchSize = 100, State = "Enabled" }, "IncomingDataStream")
        if not ok then return false, message, ({ BatchSize = "batch-size" })[problem] end
        return w.invoked(ctx, "StateLambda")
      end,
      solve = function(aws)
        aws.lambda.create_event_source_mapping{
          FunctionName = "StateLambda", EventSourceArn = stream_arn(account_of(aws)), BatchSize = 100, StartingPosition = "LATEST",
        }
      end,
    },
    {
      id = "check-map-lambda",
      title = "Check MapLambda's trigger and enable it",
      instructions = "steps/check-map-lambda.md",
      hints = {
        default = {
          "Look at MapLambda's trigger before you change it.",
          "aws.lambda.list_event_source_mappings{ FunctionName = \"MapLambda\" } lists its triggers with their settings, State and UUID. A mapping in State Disabled does not poll its stream.",
          "aws.lambda.update_event_source_mapping{ UUID = <its UUID>, Enabled = true }",
        },
        settings = {
          "The step wants MapLambda's trigger exactly as it was set up, only enabled.",
          "It was created with BatchSize 10000, a 3-second batching window, StartingPosition LATEST, unlimited retries and no bisecting.",
          "Delete the changed mapping and create it again with those settings, or update it back with update_event_source_mapping.",
        },
      },
      check = function(ctx)
        local w = ctx.plugins.workshop
        local ok, message, _, problem = w.trigger_settings(ctx, "MapLambda", "table/StateTable/stream/",
          { BatchSize = 10000, MaximumBatchingWindowInSeconds = 3, StartingPosition = "LATEST", MaximumRetryAttempts = -1,
            BisectBatchOnFunctionError = false, State = "Enabled" },
          "StateTable's stream")
        if ok then return true, message end
        return false, message, (problem ~= "State" and problem ~= "missing") and "settings" or nil
      end,
      solve = function(aws)
        for _, m in ipairs(aws.lambda.list_event_source_mappings{ FunctionName = "MapLambda" }.EventSourceMappings) do
          aws.lambda.update_event_source_mapping{ UUID = m.UUID, Enabled = true }
        end
      end,
    },
    {
      id = "connect-reduce-lambda",
      title = "Connect ReduceLambda",
      instructions = "steps/connect-reduce-lambda.md",
      hints = {
        default = {
          "Several ReduceLambda instances updating the same AggregateTable items at once would overwrite each other's sums.",
          "Reserved concurrency caps how many instances of a function run at the same time, and reserves them for it.",
          "aws.lambda.put_function_concurrency{ FunctionName = \"ReduceLambda\", ReservedConcurrentExecutions = 1 }",
        },
        ["stream-permissions"] = {
          "Lambda reads a DynamoDB stream with the function's own role: ReduceLambdaRole must be allowed to read ReduceTable's stream.",
          "A DynamoDB stream trigger needs dynamodb:DescribeStream, GetRecords, GetShardIterator and ListStreams on the stream's ARN, and IAM only counts a managed policy's default version.",
          "Add a statement allowing those four actions on arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/* to ReduceLambdaPolicy: aws.iam.create_policy_version{ PolicyArn = <its ARN>, PolicyDocument = json.encode(document), SetAsDefault = true }",
        },
        trigger = {
          "ReduceLambda needs a trigger from ReduceTable's stream, like MapLambda has from StateTable's.",
          "describe_table{ TableName = \"ReduceTable\" }.Table.LatestStreamArn is the stream's ARN; the step wants batches of 1000 records.",
          "aws.lambda.create_event_source_mapping{ FunctionName = \"ReduceLambda\", EventSourceArn = <the stream's ARN>, BatchSize = 1000, StartingPosition = \"LATEST\" }",
        },
        ["update-permission"] = {
          "ReduceLambda is invoked, but look at what its role may do to AggregateTable.",
          "Its handler calls dynamodb:UpdateItem on AggregateTable, and every SDK call is authorized against ReduceLambdaRole's policies.",
          "Allow dynamodb:UpdateItem on arn:aws:dynamodb:us-west-2:*:table/AggregateTable in a new default version of ReduceLambdaPolicy.",
        },
      },
      check = function(ctx)
        local w = ctx.plugins.workshop
        local reserved = w.reserved_concurrency(ctx, "ReduceLambda")
        if reserved ~= 1 then
          return false, "ReduceLambda's reserved concurrency is " .. (reserved and tostring(reserved) or "not set") ..
            "; set it to 1 so only one instance updates AggregateTable at a time"
        end
        local stream = stream_of(ctx, "ReduceTable")
        local ok, message = w.can(ctx, "ReduceLambdaRole",
          { "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams" }, stream)
        if not ok then return false, message, "stream-permissions" end
        ok, message = w.trigger_settings(ctx, "ReduceLambda", "table/ReduceTable/stream/", { BatchSize = 1000, State = "Enabled" }, "ReduceTable's stream")
        if not ok then return false, message, "trigger" end
        ok, message = w.can(ctx, "ReduceLambdaRole", { "dynamodb:UpdateItem" }, aggregate_arn(ctx.info().account))
        if not ok then return false, message, "update-permission" end
        ok, message = w.invoked(ctx, "ReduceLambda")
        if not ok then return false, message, "trigger" end
        ok, message = w.table_has_items(ctx, "AggregateTable")
        if not ok then return false, message, "update-permission" end
        return true, message
      end,
      solve = function(aws)
        aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
        local arn = "arn:aws:iam::" .. account_of(aws) .. ":policy/ReduceLambdaPolicy"
        local version = aws.iam.get_policy{ PolicyArn = arn }.Policy.DefaultVersionId
        local document = json.decode(aws.iam.get_policy_version{ PolicyArn = arn, VersionId = version }.PolicyVersion.Document)
        table.insert(document.Statement, {
          Effect = "Allow",
          Action = { "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams" },
          Resource = "arn:aws:dynamodb:" .. REGION .. ":*:table/ReduceTable/stream/*",
        })
        table.insert(document.Statement, {
          Effect = "Allow", Action = "dynamodb:UpdateItem", Resource = "arn:aws:dynamodb:" .. REGION .. ":*:table/AggregateTable",
        })
        aws.iam.create_policy_version{ PolicyArn = arn, PolicyDocument = json.encode(document), SetAsDefault = true }
        aws.lambda.create_event_source_mapping{
          FunctionName = "ReduceLambda", EventSourceArn = aws.dynamodb.describe_table{ TableName = "ReduceTable" }.Table.LatestStreamArn,
          BatchSize = 1000, StartingPosition = "LATEST",
        }
      end,
    },
  },
}
