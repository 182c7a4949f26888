import CloudSim
import DocumentModel
import Foundation
import Testing
@testable import LabEngine

/// The workshop plugin on its own, in a small lab of its own (not lab1 or lab2): a stream
/// `Trades`, a table `Totals`, a function `Sum` that adds each trade to the three
/// aggregates of its hierarchy and to `message_count`, and a function `Send` that a
/// schedule invokes every minute to send 30 trades (plus duplicates once ParameterTable
/// says lab 2).
@Suite struct WorkshopPluginTests {
    static let send = """
        local n = 0
        return function(event)
          local lab = aws.dynamodb.get_item{ TableName = "ParameterTable", Key = { parameter = { S = "lab" } } }.Item
          local hard = lab ~= nil and lab.value.N == "2"
          local junk = aws.dynamodb.get_item{ TableName = "ParameterTable", Key = { parameter = { S = "junk" } } }.Item
          if junk then
            aws.kinesis.put_records{ StreamName = "Trades", Records = { { Data = "not json at all", PartitionKey = "junk" },
              { Data = '{"TradeID":"half","Value":1}', PartitionKey = "junk" } } }
          end
          n = n + 1
          for call = 1, 3 do
            local records = {}
            for i = 1, 10 do
              local id = string.format("trade-%d-%d-%d", n, call, i)
              local region = ({ "EMEA", "APAC", "AMER" })[i % 3 + 1]
              local data = string.format('{"Hierarchy":{"Region":"%s","RiskType":"PV","TradeDesk":"FXSpot"},"Timestamp":%.3f,"TradeID":"%s","Value":%d.%02d,"Version":1}',
                region, time.time(), id, random.randint(0, 99999), random.randint(0, 99))
              records[#records + 1] = { Data = data, PartitionKey = id }
            end
            if hard then records[#records + 1] = records[1]; records[#records + 1] = records[2] end
            aws.kinesis.put_records{ StreamName = "Trades", Records = records }
          end
        end
        """

    static let sum = """
        return function(event)
          for _, record in ipairs(event.Records) do
            local ok, t = pcall(json.decode, base64.decode(record.kinesis.data))
            local h = ok and type(t) == "table" and t.Hierarchy
            if h then
            for _, key in ipairs{ h.RiskType, h.RiskType .. ":" .. h.TradeDesk, h.RiskType .. ":" .. h.TradeDesk .. ":" .. h.Region } do
              aws.dynamodb.update_item{ TableName = "Totals", Key = { Identifier = { S = key } }, UpdateExpression = "ADD #v :v",
                ExpressionAttributeNames = { ["#v"] = "Value" }, ExpressionAttributeValues = { [":v"] = { N = string.format("%.2f", t.Value) } } }
            end
            aws.dynamodb.update_item{ TableName = "Totals", Key = { Identifier = { S = "message_count" } }, UpdateExpression = "ADD #v :one",
              ExpressionAttributeNames = { ["#v"] = "Value" }, ExpressionAttributeValues = { [":one"] = { N = "1" } } }
            end
          end
          print("summed " .. #event.Records)
        end
        """

    /// The probe lab; `failures` is Lua for its `failures` list.
    static func lab(failures: String = "{}") -> String {
        """
        local TOTALS = "arn:aws:dynamodb:us-west-2:123456789012:table/Totals"
        local STREAM = "arn:aws:kinesis:us-west-2:123456789012:stream/Trades"
        local function nothing() end
        local function helper(name, ...)
          local args = { ... }
          return function(ctx) return ctx.plugins.workshop[name](ctx, table.unpack(args)) end
        end
        return {
          title = "workshop plugin probe", plugins = { "workshop" }, minutes = 3, world_age = 55,
          scoring = { rule = "workshop.aggregate-score", params = { table = "Totals", stream = "Trades", points = 10, phase_at = 20 } },
          failures = \(failures),
          world = function(aws)
            aws.kinesis.create_stream{ StreamName = "Trades", ShardCount = 2 }
            aws.dynamodb.create_table{ TableName = "Totals", AttributeDefinitions = { { AttributeName = "Identifier", AttributeType = "S" } },
              KeySchema = { { AttributeName = "Identifier", KeyType = "HASH" } } }
            local role = aws.iam.create_role{ RoleName = "SumRole", AssumeRolePolicyDocument = "{}" }.Role.Arn
            aws.iam.put_role_policy{ RoleName = "SumRole", PolicyName = "sum", PolicyDocument = json.encode{ Version = "2012-10-17",
              Statement = { { Effect = "Allow", Action = "kinesis:*", Resource = STREAM },
                            { Effect = "Allow", Action = { "dynamodb:UpdateItem", "dynamodb:DeleteItem" }, Resource = TOTALS },
                            { Sid = "NoDeletes", Effect = "Deny", Action = "dynamodb:DeleteItem", Resource = "*" } } } }
            aws.lambda.create_function{ FunctionName = "Sum", Role = role, Code = { Source = [==[\(sum)]==] } }
            aws.dynamodb.create_table{ TableName = "ParameterTable", AttributeDefinitions = { { AttributeName = "parameter", AttributeType = "S" } },
              KeySchema = { { AttributeName = "parameter", KeyType = "HASH" } } }
            local sender = aws.iam.create_role{ RoleName = "SendRole", AssumeRolePolicyDocument = "{}" }.Role.Arn
            aws.iam.put_role_policy{ RoleName = "SendRole", PolicyName = "send", PolicyDocument = json.encode{ Version = "2012-10-17",
              Statement = { { Effect = "Allow", Action = { "kinesis:PutRecords", "dynamodb:GetItem" }, Resource = "*" } } } }
            aws.lambda.create_function{ FunctionName = "Send", Role = sender, Code = { Source = [==[\(send)]==] } }
            aws.events.put_rule{ Name = "Every", ScheduleExpression = "rate(1 minute)" }
            aws.events.put_targets{ Rule = "Every", Targets = { { Id = "send", Arn = "arn:aws:lambda:us-west-2:123456789012:function:Send" } } }
          end,
          steps = {
            { id = "trigger", title = "T", check = helper("trigger_settings", "Sum", "stream/Trades", { BatchSize = 50 }, "Trades"),
              solve = function(aws)
                aws.lambda.create_event_source_mapping{ FunctionName = "Sum", EventSourceArn = STREAM, BatchSize = 50,
                  StartingPosition = "LATEST" }
                aws.lambda.put_function_concurrency{ FunctionName = "Sum", ReservedConcurrentExecutions = 2 }
              end },
            { id = "batch-100", title = "B", check = helper("trigger_settings", "Sum", "stream/Trades", { BatchSize = 100 }, "Trades"), solve = nothing },
            { id = "update", title = "U", check = helper("can", "SumRole", { "dynamodb:UpdateItem" }, TOTALS), solve = nothing },
            { id = "delete", title = "D", check = helper("can", "SumRole", { "dynamodb:UpdateItem", "dynamodb:DeleteItem" }, TOTALS), solve = nothing },
            { id = "put", title = "P", check = helper("can", "SumRole", { "dynamodb:PutItem" }, TOTALS), solve = nothing },
            { id = "items", title = "I", check = helper("table_has_items", "Totals"), solve = nothing },
            { id = "invoked", title = "V", check = helper("invoked", "Sum"), solve = nothing },
            { id = "logged", title = "L", check = helper("logged", "Sum", "summed"), solve = nothing },
            { id = "concurrency", title = "C", check = function(ctx)
                local n = ctx.plugins.workshop.reserved_concurrency(ctx, "Sum")
                return n == 2, "reserved concurrency " .. tostring(n)
              end, solve = nothing },
          },
        }
        """
    }

    func run(_ actions: Actions, failures: String = "{}", seed: UInt64 = 1) throws -> RunResult {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("labengine-\(UInt64.random(in: 0...UInt64.max))")
        let labs = root.appendingPathComponent("labs")
        try FileManager.default.createDirectory(at: labs.appendingPathComponent("probe"), withIntermediateDirectories: true)
        try Self.lab(failures: failures).write(to: labs.appendingPathComponent("probe/lab.lua"), atomically: true, encoding: .utf8)
        let plugins = root.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: labsFolder.deletingLastPathComponent().appendingPathComponent("plugins/workshop"),
            to: plugins.appendingPathComponent("workshop"))
        defer { try? FileManager.default.removeItem(at: root) }
        let lab = try LabLoader(catalog: LabCatalog(directory: labs.path)).load("probe")
        return try LabRunner(lab: lab).run(actions: actions, seed: seed)
    }

    func messages(_ result: RunResult) -> [String: String] {
        Dictionary(uniqueKeysWithValues: result.steps.map { ($0.id, $0.message) })
    }

    @Test func checkHelpersSayPreciselyWhatIsMissing() throws {
        let result = try run(.none)
        let m = messages(result)
        let totals = "arn:aws:dynamodb:us-west-2:123456789012:table/Totals"
        #expect(m["trigger"] == "Sum has no trigger from Trades yet: create an event source mapping from it to Sum")
        #expect(m["update"] == "SumRole may perform dynamodb:UpdateItem on \(totals)")
        #expect(m["delete"] == "SumRole cannot perform dynamodb:DeleteItem on \(totals): it is explicitly denied by SumRole/sum statement 3 (NoDeletes)")
        #expect(m["put"] == "SumRole cannot perform dynamodb:PutItem on \(totals): no statement of its policies allows it")
        #expect(m["items"] == "Totals has no items yet")
        #expect(m["invoked"] == "Sum has not been invoked yet")
        #expect(m["logged"] == "Sum never logged \"summed\"")
        #expect(m["concurrency"] == "reserved concurrency nil")
        #expect(result.steps.filter(\.passed).map(\.id) == ["update"])
    }

    @Test func checkHelpersPassOnceTheWorldIsRight() throws {
        let result = try run(.solution)
        let m = messages(result)
        #expect(m["trigger"] == "Sum's trigger from Trades is set up")
        #expect(m["batch-100"] == "Sum's trigger from Trades has BatchSize 50; the step asks for 100")
        #expect(m["items"] == "Totals has items")
        #expect(m["invoked"]?.hasPrefix("Sum was invoked ") == true && m["invoked"]?.hasSuffix(" (0 errors)") == true)
        #expect(m["logged"]?.contains("summed ") == true)
        #expect(m["concurrency"] == "reserved concurrency 2")
    }

    /// Rounds at 5 s, 65 s and 125 s, each compared 30 s later: two exact rounds reach the
    /// phase threshold (20), and the third, with duplicates and modifications, is not exact
    /// for a function that adds every record it gets.
    @Test func theScoringRuleComparesEveryRoundAndSwitchesPhase() throws {
        let result = try run(.solution)
        #expect(result.minutes.map(\.points) == [10, 10, 0])
        #expect(result.minutes.map(\.exact) == [true, true, false])
        #expect(result.minutes[0].detail == "every aggregate matches (30 new trades)")
        let last = result.minutes[2].detail
        #expect(last.contains("of the aggregates differ (more messages than were sent: a batch was counted twice)"), "\(last)")
        let unconnected = try run(.none)
        #expect(unconnected.minutes.map(\.points) == [0, 0, 0])
        // Nothing arrives: every aggregate the round changed is named with what it should have become.
        let missing = unconnected.minutes[0].detail
        #expect(missing.hasPrefix("6 of the aggregates differ: PV +0.00 (expected +") && missing.hasSuffix(" and 2 more"), "\(missing)")
    }

    @Test func aMinuteWithoutTradesEarnsNothingAndSaysWhy() throws {
        let actions = FileManager.default.temporaryDirectory.appendingPathComponent("quiet-\(UInt64.random(in: 0...UInt64.max)).lua")
        try #"aws.events.put_rule{ Name = "Every", ScheduleExpression = "rate(1 minute)", State = "DISABLED" }"#
            .write(to: actions, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: actions) }
        let quiet = try run(.files([actions.path]))
        #expect(quiet.minutes.map(\.points) == [0, 0, 0])
        #expect(quiet.minutes[0].detail == "no trades arrived in Trades this minute: is the generator's schedule enabled?")
    }

    @Test func recordsThatAreNotTradesAreIgnoredAndSaidSo() throws {
        let actions = FileManager.default.temporaryDirectory.appendingPathComponent("junk-\(UInt64.random(in: 0...UInt64.max)).lua")
        try #"aws.dynamodb.put_item{ TableName = "ParameterTable", Item = { parameter = { S = "junk" }, value = { N = "1" } } }"#
            .write(to: actions, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: actions) }
        let result = try run(.stepsThenFiles(1, [actions.path]))
        #expect(result.minutes.first?.detail == "every aggregate matches (30 new trades) (2 records that are not trades ignored)")
        #expect(result.minutes.first?.points == 10)
    }

    @Test func theSameSeedSendsTheSameTradesAndAnotherSeedOthers() throws {
        let a = try run(.solution, seed: 7)
        let b = try run(.solution, seed: 7)
        let c = try run(.solution, seed: 8)
        #expect(GradeReport(result: a).json() == GradeReport(result: b).json())
        func totals(_ r: RunResult) throws -> Document? {
            try r.world.adminCall("dynamodb", "Scan", ["TableName": "Totals"])["Items"]
        }
        #expect(try totals(a) == totals(b))
        #expect(try totals(a) != totals(c))
    }

    @Test func failureModesInjectErrorsAtTheirPoint() throws {
        let before = try run(.solution, failures: #"{ { mode = "workshop.errors-before", rates = { Sum = 1.0 } } }"#)
        let metrics = try #require(before.world.account.logs.metrics["Sum"])
        #expect(metrics.invocations > 0 && metrics.errors == metrics.invocations)
        #expect(messages(before)["items"] == "Totals has no items yet")
        let after = try run(.solution, failures: #"{ { mode = "workshop.errors-after", rates = { Sum = 1.0 } } }"#)
        #expect(messages(after)["items"] == "Totals has items")
        #expect((after.world.account.logs.metrics["Sum"]?.errors ?? 0) > 0)
        let throttled = try run(.solution, failures: #"{ { mode = "workshop.throttling", rates = { Sum = 1.0 } } }"#)
        #expect(throttled.world.account.logs.metrics["Sum"]?.invocations ?? 0 == 0)
        #expect((throttled.world.account.logs.metrics["Sum"]?.throttles ?? 0) > 0)
    }
}
