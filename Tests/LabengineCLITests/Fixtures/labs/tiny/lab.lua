-- A tiny lab that uses every authoring feature, for the engine's own tests.
return {
  id = "tiny",
  title = "Tiny echo lab",
  plugins = { "testkit@2" },
  minutes = 1,
  max_score = 100,
  function_cpu_per_minute = 1,
  functions = { Echo = "functions/echo.lua" },
  scoring = { rule = "testkit.counter", params = { every = 20, wait = 10, count = 5, points = 50, phase_at = 1000 } },
  failures = { { mode = "testkit.boom", phase = "hard", rates = { Echo = 1.0 }, point = "before" } },
  world = function(aws, lab)
    aws.kinesis.create_stream{ StreamName = "Input", ShardCount = 1 }
    aws.dynamodb.create_table{ TableName = "Echoes", AttributeDefinitions = { { AttributeName = "id", AttributeType = "S" } },
      KeySchema = { { AttributeName = "id", KeyType = "HASH" } } }
    local role = aws.iam.create_role{ RoleName = "EchoRole", AssumeRolePolicyDocument = "{}" }.Role.Arn
    aws.iam.put_role_policy{ RoleName = "EchoRole", PolicyName = "p", PolicyDocument = json.encode{ Version = "2012-10-17",
      Statement = { { Effect = "Allow", Action = { "kinesis:*", "dynamodb:PutItem" }, Resource = "*" } } } }
    aws.lambda.create_function{ FunctionName = "Echo", Role = role, Code = { SourceFile = lab.functions.Echo } }
  end,
  passing = function(result) return result.steps_passed and result.score >= 100 end,
  steps = {
    {
      id = "connect",
      title = "Connect Echo to the stream",
      instructions = "intro.md",
      hints = { "aws.lambda.create_event_source_mapping{ FunctionName = \"Echo\", … }" },
      check = function(ctx)
        local n = ctx.plugins.testkit.count_items(ctx, "Echoes")
        if n == 0 then return false, "Echoes has no items yet" end
        return true, "Echoes holds " .. n .. " items"
      end,
      solve = function(aws)
        aws.lambda.create_event_source_mapping{ FunctionName = "Echo", StartingPosition = "TRIM_HORIZON",
          EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/Input" }
      end,
    },
    {
      id = "note",
      title = "Leave a note",
      instructions = "Put an item `note` into Echoes.",
      check = function(ctx)
        local item = ctx.aws.dynamodb.get_item{ TableName = "Echoes", Key = { id = { S = "note" } } }.Item
        return item ~= nil, item and "the note is there" or "there is no item 'note' in Echoes"
      end,
      solve = function(aws)
        aws.dynamodb.put_item{ TableName = "Echoes", Item = { id = { S = "note" } } }
      end,
    },
  },
}
