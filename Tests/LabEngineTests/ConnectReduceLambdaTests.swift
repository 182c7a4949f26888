import CloudSim
import DocumentModel
import Foundation
import Testing
@testable import LabEngine

/// The seed page, step 3 of Lab 1, end to end through the Lua API.
@Suite struct ConnectReduceLambdaTests {
    static let step1 = """
        aws.lambda.create_event_source_mapping{ FunctionName = "StateLambda", BatchSize = 100, StartingPosition = "LATEST",
          EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/IncomingDataStream" }
        aws.lambda.put_function_concurrency{ FunctionName = "ReduceLambda", ReservedConcurrentExecutions = 1 }
        """

    static func addStatements(_ statements: String) -> String {
        """
        local arn = "arn:aws:iam::123456789012:policy/ReduceLambdaPolicy"
        local version = aws.iam.get_policy{ PolicyArn = arn }.Policy.DefaultVersionId
        local doc = json.decode(aws.iam.get_policy_version{ PolicyArn = arn, VersionId = version }.PolicyVersion.Document)
        for _, s in ipairs({ \(statements) }) do table.insert(doc.Statement, s) end
        aws.iam.create_policy_version{ PolicyArn = arn, PolicyDocument = json.encode(doc), SetAsDefault = true }
        """
    }

    static let streamStatement = """
        { Effect = "Allow", Action = { "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams" },
          Resource = "arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/*" }
        """
    static let updateStatement = """
        { Effect = "Allow", Action = "dynamodb:UpdateItem", Resource = "arn:aws:dynamodb:us-west-2:*:table/AggregateTable" }
        """
    static let trigger = """
        local arn = aws.dynamodb.describe_table{ TableName = "ReduceTable" }.Table.LatestStreamArn
        aws.lambda.create_event_source_mapping{ FunctionName = "ReduceLambda", EventSourceArn = arn, BatchSize = 1000, StartingPosition = "LATEST" }
        """

    @Test func theTriggerNeedsStreamPermissionsAndTheReducerNeedsUpdateItem() throws {
        let world = try workshopWorld()
        try world.runActions(source: Self.step1, chunkName: "step1.lua", baseDirectory: "/")

        // Adding the trigger fails: the role cannot read the stream.
        do {
            try world.runActions(source: Self.trigger, chunkName: "trigger.lua", baseDirectory: "/")
            Issue.record("the trigger should have been refused")
        } catch let error as LabError {
            #expect(error.file == "trigger.lua")
            #expect(error.line == 2)
            #expect(error.message.contains("InvalidParameterValueException: Cannot access stream arn:aws:dynamodb:us-west-2:123456789012:table/ReduceTable/stream/"))
            #expect(error.message.contains("Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM."))
        }

        // With only the stream statement the trigger works, but the reducer cannot write.
        try world.runActions(source: Self.addStatements(Self.streamStatement), chunkName: "policy1.lua", baseDirectory: "/")
        try world.runActions(source: Self.trigger, chunkName: "trigger.lua", baseDirectory: "/")
        world.run(for: .seconds(5))
        var feed = TradeFeed(seed: 11)
        try feed.send(400, to: world)
        world.run(for: .seconds(60))
        #expect(try aggregates(world).isEmpty)
        let logs = world.account.logs.groups["/aws/lambda/ReduceLambda"] ?? []
        #expect(logs.contains { $0.message.contains("AccessDeniedException") && $0.message.contains("User: arn:aws:sts::123456789012:assumed-role/ReduceLambdaRole/ReduceLambda is not authorized to perform: dynamodb:UpdateItem on resource: arn:aws:dynamodb:us-west-2:123456789012:table/AggregateTable because no identity-based policy allows the dynamodb:UpdateItem action") })

        // Allowing UpdateItem lets the retried batches through: nothing was lost.
        try world.runActions(source: Self.addStatements(Self.updateStatement), chunkName: "policy2.lua", baseDirectory: "/")
        world.run(for: .seconds(30))
        #expect(try aggregates(world) == feed.expected)
    }
}

@Suite struct LambdaTests {
    func world(_ code: String, timeout: Int = 3, memory: Int = 128) throws -> World {
        let world = World(seed: 1)
        try world.runActions(
            source: """
                local role = aws.iam.create_role{ RoleName = "R", AssumeRolePolicyDocument = "{}" }.Role.Arn
                aws.iam.put_role_policy{ RoleName = "R", PolicyName = "p", PolicyDocument = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}}' }
                aws.lambda.create_function{ FunctionName = "F", Role = role, Timeout = \(timeout), MemorySize = \(memory), Code = { Source = [==[\(code)]==] } }
                """, chunkName: "setup.lua", baseDirectory: "/")
        return world
    }

    func invoke(_ world: World, _ payload: Document = [:]) throws -> (payload: Document, error: String?) {
        let result = try world.adminCall("lambda", "Invoke", ["FunctionName": "F", "Payload": .string(try payload.jsonText())])
        return (try Document(jsonText: result["Payload"]?.stringValue ?? "null"), result["FunctionError"]?.stringValue)
    }

    @Test func anInfiniteLoopTimesOutLikeLambda() throws {
        let world = try world("return function() while true do end end", timeout: 3)
        let (payload, error) = try invoke(world)
        #expect(error == "Unhandled")
        #expect(payload["errorMessage"] == "Task timed out after 3.00 seconds")
        let logs = world.account.logs.groups["/aws/lambda/F"]?.map(\.message) ?? []
        #expect(logs.contains { $0.hasSuffix("Task timed out after 3.00 seconds") })
        #expect(logs.contains { $0.hasPrefix("REPORT RequestId:") })
        let incident = try #require(world.account.logs.incidents.first)
        #expect(incident.function == "F")
        #expect(incident.kind == "instruction limit")
    }

    @Test func unboundedAllocationFailsLikeOutOfMemory() throws {
        let world = try world("return function() local t = {} while true do t[#t + 1] = string.rep('x', 1e6) end end", memory: 128)
        let (payload, error) = try invoke(world)
        #expect(error == "Unhandled")
        #expect(payload["errorType"] == "Runtime.OutOfMemory")
        #expect(world.account.logs.incidents.first?.kind == "out of memory")
    }

    @Test func handlersReturnValuesAndRaiseErrors() throws {
        let ok = try world("return function(event, context) return { doubled = event.n * 2, name = context.function_name, left = context.get_remaining_time_in_millis() } end")
        let (payload, error) = try invoke(ok, ["n": 21])
        #expect(error == nil)
        #expect(payload["doubled"] == 42)
        #expect(payload["name"] == "F")
        #expect((payload["left"]?.intValue ?? 0) > 2_000)
        let failing = try world("return function() error('bad input') end")
        let (failure, kind) = try invoke(failing)
        #expect(kind == "Unhandled")
        #expect(failure["errorMessage"]?.stringValue?.contains("bad input") == true)
    }

    @Test func deniedCallsAreCatchableInFunctionCode() throws {
        let world = try world("""
            return function()
              local ok, err = pcall(aws.dynamodb.put_item, { TableName = "T", Item = { id = { S = "x" } } })
              return { ok = ok, code = err.code, message = err.message }
            end
            """)
        let (payload, _) = try invoke(world)
        #expect(payload["ok"] == false)
        #expect(payload["code"] == "AccessDeniedException")
        #expect(payload["message"]?.stringValue?.hasPrefix("User: arn:aws:sts::123456789012:assumed-role/R/F is not authorized to perform: dynamodb:PutItem") == true)
    }

    @Test func syntaxErrorsInFunctionCodeNameTheLine() throws {
        let world = try world("return function()\n  local x = = 1\nend")
        let (payload, _) = try invoke(world)
        #expect(payload["errorType"] == "Runtime.UserCodeSyntaxError")
        #expect(payload["errorMessage"]?.stringValue?.contains(":2:") == true)
    }

    @Test func codeThatReturnsNoHandlerIsReported() throws {
        let world = try world("return 42")
        #expect(try invoke(world).payload["errorType"] == "Runtime.HandlerNotFound")
    }

    @Test func helperLibrariesWork() throws {
        let world = try world("""
            return function()
              return { md5 = hashlib.md5("abc"), sha = hashlib.sha256(""), b64 = base64.encode("hi"), back = base64.decode("aGk="),
                json = json.encode({ b = 1, a = { 1, 2 } }), t = time.time() }
            end
            """)
        let (payload, _) = try invoke(world)
        #expect(payload["md5"] == "900150983cd24fb0d6963f7d28e17f72")
        #expect(payload["sha"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(payload["b64"] == "aGk=")
        #expect(payload["back"] == "hi")
        #expect(payload["json"] == #"{"a":[1,2],"b":1}"#)
        #expect((payload["t"]?.doubleValue ?? 0) >= 1_704_067_200)
    }
}

@Suite struct DeterminismTests {
    /// Everything observable of a pipeline run: aggregates, every log line, metrics.
    func trace(seed: UInt64) throws -> String {
        let world = try workshopWorld(seed: seed)
        try world.runActions(file: labsFolder.appendingPathComponent("lab1/solution.lua").path)
        world.run(for: .seconds(5))
        var feed = TradeFeed(seed: seed)
        try feed.send(500, to: world)
        world.run(for: .seconds(40))
        let logs = world.account.logs.groups.keys.sorted().flatMap { group in
            (world.account.logs.groups[group] ?? []).map { "\(group) \($0.time.micros) \($0.message)" }
        }
        let values = try aggregates(world).keys.sorted().map { "\($0)=\(try aggregates(world)[$0] ?? 0)" }
        return (logs + values).joined(separator: "\n")
    }

    @Test func theSameSeedGivesTheSameRun() throws {
        let a = try trace(seed: 9)
        #expect(a == (try trace(seed: 9)))
        #expect(a != (try trace(seed: 10)))
        #expect(a.contains("REPORT RequestId"))
    }
}

@Suite struct HostileActionsTests {
    @Test func aLoopOfCallsIsCutOffNotMemoryExhausting() throws {
        let world = World(seed: 1)
        world.actionCallLimit = 1_000
        do {
            try world.runActions(source: """
                aws.kinesis.create_stream{ StreamName = 'Flood', ShardCount = 1 }
                while true do aws.kinesis.put_record{ StreamName = 'Flood', Data = 'x', PartitionKey = 'k' } end
                """, chunkName: "flood.lua", baseDirectory: "/")
            Issue.record("the flood should have been stopped")
        } catch let error as LabError {
            #expect(error.message.contains("LimitExceededException"))
            #expect(error.line == 2)
        }
        #expect((world.account.kinesis.streams["Flood"]?.shards[0].endIndex ?? 0) < 1_000)
    }

    @Test func hugeLogLinesAreTruncated() throws {
        let world = World(seed: 1)
        try world.runActions(source: """
            local role = aws.iam.create_role{ RoleName = 'Role', AssumeRolePolicyDocument = '{}' }.Role.Arn
            aws.lambda.create_function{ FunctionName = 'Loud', Role = role, Code = { Source = "return function() print(string.rep('x', 1000000)) end" } }
            aws.lambda.invoke{ FunctionName = 'Loud' }
            """, chunkName: "loud.lua", baseDirectory: "/")
        let lines = world.account.logs.groups["/aws/lambda/Loud"] ?? []
        let longest = lines.map { $0.message.utf8.count }.max() ?? 0
        #expect(longest <= 256 * 1024 + 20)
        #expect(lines.contains { $0.message.hasSuffix("[truncated]") })
    }
}

@Suite struct ForgedYieldTests {
    @Test func aForgedSleepCannotTurnTimeBack() throws {
        let world = World(seed: 1)
        try world.runActions(source: """
            local role = aws.iam.create_role{ RoleName = 'Role', AssumeRolePolicyDocument = '{}' }.Role.Arn
            aws.lambda.create_function{ FunctionName = 'Sneaky', Role = role, Timeout = 5, Code = { Source = [[
              return function(event, context)
                local before = time.time()
                coroutine.yield("__sleep", -1000)
                local forged = pcall(coroutine.yield, "__aws_call", "iam", "CreateRole", { RoleName = "Admin", AssumeRolePolicyDocument = "{}" })
                return { went_back = time.time() < before }
              end ]] } }
            """, chunkName: "setup.lua", baseDirectory: "/")
        let result = try world.adminCall("lambda", "Invoke", ["FunctionName": "Sneaky"])
        let payload = try Document(jsonText: result["Payload"]?.stringValue ?? "{}")
        #expect(payload["went_back"] == false)
        #expect(world.account.iam.roles["Admin"] == nil)
    }
}
