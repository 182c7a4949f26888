import Foundation

/// `labengine new LAB`: a small lab that works and passes `labengine test`, for an author
/// to change. It uses no plugin: it registers its own scoring rule.
public enum LabSkeleton {
    /// Writes `<labs>/<id>/` with lab.lua, a step's instructions, a function and a scenario.
    /// - Returns: the files written, relative to the labs folder.
    /// - Throws: ``LabError`` when the id is not a folder name or the lab exists.
    public static func create(id: String, in labs: String) throws -> [String] {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), id.first?.isLetter == true else {
            throw LabError(file: nil, message: "a lab id is a folder name: letters, digits, '-' and '_', starting with a letter (got '\(id)')")
        }
        let root = URL(fileURLWithPath: labs).appendingPathComponent(id)
        if FileManager.default.fileExists(atPath: root.path) {
            throw LabError(file: root.path, message: "already exists; choose another id")
        }
        let files: [(String, String)] = [
            ("lab.lua", labFile(id)),
            ("steps/create-table.md", instructions),
            ("functions/greeter.lua", function),
            ("tests/wrong_key.lua", scenario),
            ("tests/actions/wrong_key.lua", wrongKeyActions),
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return files.map { "\(id)/\($0.0)" }
    }

    static func labFile(_ id: String) -> String {
        """
        -- \(id): a new lab. `labengine test \(id)` checks it, `labengine show \(id)` shows it to learners,
        -- `labengine run \(id) --actions FILE` runs a learner's actions. docs/authoring.md has every field.
        local TABLE = "Greetings"

        return {
          id = "\(id)",
          title = "Store what a function writes",
          description = "A scheduled function writes a greeting every minute into a table that does not exist yet.",
          minutes = 3,
          max_score = 300,
          -- The schedule was created 30 s before the learner starts: Greeter runs 30 s into each minute.
          world_age = 30,

          -- The starting world, built with the same `aws` API learners use.
          world = function(aws, lab)
            local trust = json.encode{ Version = "2012-10-17", Statement = { {
              Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" } } }
            local role = aws.iam.create_role{ RoleName = "GreeterRole", AssumeRolePolicyDocument = trust }.Role.Arn
            local policy = aws.iam.create_policy{ PolicyName = "GreeterPolicy", PolicyDocument = json.encode{
              Version = "2012-10-17",
              Statement = { { Effect = "Allow", Action = "dynamodb:PutItem",
                Resource = "arn:aws:dynamodb:" .. lab.region .. ":" .. lab.account .. ":table/" .. TABLE } },
            } }.Policy.Arn
            aws.iam.attach_role_policy{ RoleName = "GreeterRole", PolicyArn = policy }
            aws.lambda.create_function{
              FunctionName = "Greeter", Role = role, Runtime = "provided.al2023", Handler = "greeter.handler",
              Timeout = 10, Code = { SourceFile = "functions/greeter.lua" },
            }
            aws.events.put_rule{ Name = "EveryMinute", ScheduleExpression = "rate(1 minute)" }
            aws.events.put_targets{ Rule = "EveryMinute", Targets = { { Id = "greeter",
              Arn = "arn:aws:lambda:" .. lab.region .. ":" .. lab.account .. ":function:Greeter" } } }
          end,

          -- The lab's own scoring rule (no plugin needed): points each minute the table grew.
          register = function(r)
            r.scoring("per-minute", function(run, params)
              local seen = 0
              local function round()
                local ok, result = pcall(run.aws.dynamodb.scan, { TableName = TABLE, Select = "COUNT" })
                local count = ok and result.Count or 0
                if count > seen then
                  run.award{ points = params.points, detail = count .. " greetings stored" }
                else
                  run.award{ points = 0, detail = ok and "no new greeting reached " .. TABLE or TABLE .. " does not exist" }
                end
                seen = count
                run.after(60, round)
              end
              run.after(60, round)
            end, { params = { "points" } })
          end,
          scoring = { rule = "per-minute", params = { points = 100 } },

          steps = {
            {
              id = "create-table",
              title = "Create the Greetings table",
              instructions = "steps/create-table.md",
              hints = {
                default = {
                  "Greeter's log says what it cannot do: look at it.",
                  "Greeter writes items keyed by the string attribute 'id' into a table named Greetings.",
                  "aws.dynamodb.create_table{ TableName = \\"Greetings\\", AttributeDefinitions = { { AttributeName = \\"id\\", AttributeType = \\"S\\" } }, KeySchema = { { AttributeName = \\"id\\", KeyType = \\"HASH\\" } }, BillingMode = \\"PAY_PER_REQUEST\\" }",
                },
                key = {
                  "The table exists, but Greeter's writes are refused.",
                  "A table's key schema is fixed when it is created: every item must have the key attribute, with the declared type.",
                  "Delete the table and create it again with the key 'id' of type S.",
                },
              },
              check = function(ctx)
                local ok, found = pcall(ctx.aws.dynamodb.describe_table, { TableName = TABLE })
                if not ok then return false, TABLE .. " does not exist yet" end
                local key = found.Table.KeySchema[1].AttributeName
                if key ~= "id" then return false, TABLE .. "'s key is '" .. key .. "'; Greeter writes items keyed by 'id'", "key" end
                if #ctx.items(TABLE) == 0 then return false, TABLE .. " exists but no greeting reached it yet" end
                return true, TABLE .. " holds Greeter's greetings"
              end,
              solve = function(aws)
                aws.dynamodb.create_table{
                  TableName = TABLE, BillingMode = "PAY_PER_REQUEST",
                  AttributeDefinitions = { { AttributeName = "id", AttributeType = "S" } },
                  KeySchema = { { AttributeName = "id", KeyType = "HASH" } },
                }
              end,
            },
          },
        }

        """
    }

    static let instructions = """
        # Create the Greetings table

        `Greeter` runs every minute and writes a greeting into the DynamoDB table `Greetings`,
        which does not exist yet. Create it, keyed by the string attribute `id`, so that the
        greetings are stored.

        """

    static let function = """
        -- Greeter: writes one greeting per invocation.
        local M = {}

        function M.handler(event, context)
          aws.dynamodb.put_item{
            TableName = "Greetings",
            Item = { id = { S = context.aws_request_id }, at = { N = tostring(math.floor(time.time())) } },
          }
          print("stored a greeting")
        end

        return M

        """

    static let scenario = """
        -- A learner's mistake the step must explain: the table keyed by the wrong attribute.
        return {
          description = "a table with the wrong key",
          actions = { "actions/wrong_key.lua" },
          expect = {
            passed = false, score = 0,
            steps = { ["create-table"] = { passed = false, message = "Greeter writes items keyed by 'id'", hint = "key" } },
            logs = { Greeter = { contains = "ValidationException" } },
          },
        }

        """

    static let wrongKeyActions = """
        aws.dynamodb.create_table{
          TableName = "Greetings", BillingMode = "PAY_PER_REQUEST",
          AttributeDefinitions = { { AttributeName = "name", AttributeType = "S" } },
          KeySchema = { { AttributeName = "name", KeyType = "HASH" } },
        }

        """
}
