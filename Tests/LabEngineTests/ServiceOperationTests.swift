import CloudSim
import DocumentModel
import Foundation
import Testing
@testable import LabEngine

/// Operations not exercised elsewhere, through the Lua API as learners call them.
@Suite struct ServiceOperationTests {
    func world(_ setup: String) throws -> World {
        let world = World(seed: 1)
        try world.runActions(source: """
            local role = aws.iam.create_role{ RoleName = 'R', AssumeRolePolicyDocument = '{}' }.Role.Arn
            aws.iam.put_role_policy{ RoleName = 'R', PolicyName = 'all', PolicyDocument = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}' }
            aws.dynamodb.create_table{ TableName = 'Ticks', AttributeDefinitions = { { AttributeName = 'id', AttributeType = 'S' } },
              KeySchema = { { AttributeName = 'id', KeyType = 'HASH' } } }
            aws.lambda.create_function{ FunctionName = 'Tick', Role = role, Code = { Source = [[
              return function(event, context)
                aws.dynamodb.update_item{ TableName = 'Ticks', Key = { id = { S = 'n' } }, UpdateExpression = 'ADD c :one',
                  ExpressionAttributeValues = { [':one'] = { N = '1' } } }
                print('tick from ' .. tostring(event.source))
              end ]] } }
            \(setup)
            """, chunkName: "setup.lua", baseDirectory: "/")
        return world
    }

    func ticks(_ world: World) throws -> Int {
        let item = try world.adminCall("dynamodb", "GetItem", ["TableName": "Ticks", "Key": ["id": ["S": "n"]]])["Item"]
        return Int(item?["c"]?["N"]?.stringValue ?? "0") ?? 0
    }

    /// Invoke with LogType Tail returns the invocation's log, base64, at most 4 KB
    /// (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html); its REPORT line bills at
    /// least 1 ms and names the Init Duration of a cold start only
    /// (https://docs.aws.amazon.com/lambda/latest/operatorguide/log-structure.html).
    @Test func invokeWithTailReturnsTheInvocationsLog() throws {
        let world = try world("")
        func tail(_ payload: Document) throws -> String {
            let response = try world.adminCall("lambda", "Invoke", ["FunctionName": "Tick", "LogType": "Tail", "Payload": payload])
            let bytes = Base64.decode(response["LogResult"]?.stringValue ?? "").map { String(decoding: $0, as: UTF8.self) }
            return try #require(bytes, "LogResult is base64")
        }
        let cold = try tail(#"{"source": "first"}"#)
        #expect(cold.hasPrefix("START RequestId: ") && cold.contains("tick from first\n") && cold.contains("\nREPORT RequestId: "))
        #expect(cold.contains("\tInit Duration: 150.00 ms"), "\(cold)")
        let warm = try tail(#"{"source": "second"}"#)
        #expect(warm.contains("tick from second") && !warm.contains("tick from first"), "only this invocation's lines")
        #expect(!warm.contains("Init Duration"))
        let noTail = try world.adminCall("lambda", "Invoke", ["FunctionName": "Tick", "Payload": "{}"])
        #expect(noTail["LogResult"] == nil)
        let loud = try self.world("""
            aws.lambda.create_function{ FunctionName = 'Loud', Role = role, Code = { Source = "return function() for i = 1, 500 do print(string.rep('x', 20)) end end" } }
            """)
        let response = try loud.adminCall("lambda", "Invoke", ["FunctionName": "Loud", "LogType": "Tail"])
        #expect(Base64.decode(response["LogResult"]?.stringValue ?? "")?.count == 4096, "the last 4 KB only")
    }

    @Test func billedDurationIsAtLeastOneMillisecond() throws {
        let world = try world("""
            aws.lambda.create_function{ FunctionName = 'Empty', Role = role, Code = { Source = "return function() end" } }
            aws.lambda.invoke{ FunctionName = 'Empty' }
            """)
        let report = try world.adminCall("logs", "FilterLogEvents", ["logGroupName": "/aws/lambda/Empty", "filterPattern": "REPORT"])
        let line = report["events"]?.arrayValue?.first?["message"]?.stringValue ?? ""
        #expect(line.contains("Billed Duration: ") && !line.contains("Billed Duration: 0 ms"), "\(line)")
    }

    @Test func aRateRuleInvokesItsTargetEveryInterval() throws {
        let world = try world("""
            local arn = aws.lambda.get_function{ FunctionName = 'Tick' }.Configuration.FunctionArn
            aws.events.put_rule{ Name = 'every-minute', ScheduleExpression = 'rate(1 minute)' }
            aws.events.put_targets{ Rule = 'every-minute', Targets = { { Id = 'tick', Arn = arn } } }
            """)
        world.run(for: .seconds(5 * 60 + 30))
        #expect(try ticks(world) == 5)
        let logs = try world.adminCall("logs", "FilterLogEvents", ["logGroupName": "/aws/lambda/Tick", "filterPattern": "\"tick from aws.events\""])
        #expect(logs["events"]?.arrayValue?.count == 5)
        _ = try world.adminCall("events", "PutRule", ["Name": "every-minute", "ScheduleExpression": "rate(1 minute)", "State": "DISABLED"])
        world.run(for: .seconds(180))
        #expect(try ticks(world) == 5)
    }

    @Test func scheduleExpressionsAreValidated() throws {
        let world = try world("")
        for bad in ["rate(1 minutes)", "rate(5 minute)", "cron(0 12 * * ? *)", "rate(0 minutes)", "every minute"] {
            #expect(throws: (any Error).self, "\(bad)") {
                _ = try world.adminCall("events", "PutRule", ["Name": "r", "ScheduleExpression": .string(bad)])
            }
        }
        #expect(try Events.parseRate("rate(2 hours)") == .seconds(7200))
    }

    @Test func asynchronousInvokeRunsInVirtualTime() throws {
        let world = try world("")
        let result = try world.adminCall("lambda", "Invoke", ["FunctionName": "Tick", "InvocationType": "Event"])
        #expect(result["StatusCode"] == 202)
        #expect(try ticks(world) == 0)
        world.run(for: .seconds(2))
        #expect(try ticks(world) == 1)
    }

    @Test func functionConfigurationAndConcurrency() throws {
        let world = try world("")
        _ = try world.adminCall("lambda", "UpdateFunctionConfiguration", ["FunctionName": "Tick", "Timeout": 42, "MemorySize": 512])
        let configuration = try world.adminCall("lambda", "GetFunctionConfiguration", ["FunctionName": "Tick"])
        #expect(configuration["Timeout"] == 42)
        #expect(configuration["MemorySize"] == 512)
        _ = try world.adminCall("lambda", "PutFunctionConcurrency", ["FunctionName": "Tick", "ReservedConcurrentExecutions": 3])
        #expect(try world.adminCall("lambda", "GetFunctionConcurrency", ["FunctionName": "Tick"])["ReservedConcurrentExecutions"] == 3)
        #expect(try world.adminCall("lambda", "GetFunction", ["FunctionName": "Tick"])["Concurrency"]?["ReservedConcurrentExecutions"] == 3)
        _ = try world.adminCall("lambda", "DeleteFunctionConcurrency", ["FunctionName": "Tick"])
        #expect(try world.adminCall("lambda", "GetFunctionConcurrency", ["FunctionName": "Tick"]) == [:])
        #expect(try world.adminCall("lambda", "ListFunctions", [:])["Functions"]?.arrayValue?.count == 1)
        #expect(throws: (any Error).self) { _ = try world.adminCall("lambda", "PutFunctionConcurrency", ["FunctionName": "Tick", "ReservedConcurrentExecutions": 950]) }
        #expect(throws: (any Error).self) { _ = try world.adminCall("lambda", "UpdateFunctionConfiguration", ["FunctionName": "Tick", "Timeout": 901]) }
        #expect(throws: (any Error).self) { _ = try world.adminCall("lambda", "GetFunction", ["FunctionName": "Nope"]) }
    }

    @Test func mappingsCanBeListedUpdatedAndDeleted() throws {
        let world = try world("""
            aws.kinesis.create_stream{ StreamName = 'In', ShardCount = 1 }
            aws.lambda.create_event_source_mapping{ FunctionName = 'Tick', StartingPosition = 'LATEST', BatchSize = 10,
              EventSourceArn = 'arn:aws:kinesis:us-west-2:123456789012:stream/In' }
            """)
        let list = try world.adminCall("lambda", "ListEventSourceMappings", ["FunctionName": "Tick"])["EventSourceMappings"]?.arrayValue ?? []
        #expect(list.count == 1)
        #expect(list.first?["State"] == "Creating")
        let uuid = list.first?["UUID"] ?? .null
        world.run(for: .seconds(2))
        #expect(try world.adminCall("lambda", "GetEventSourceMapping", ["UUID": uuid])["State"] == "Enabled")
        let updated = try world.adminCall("lambda", "UpdateEventSourceMapping", ["UUID": uuid, "BatchSize": 50, "Enabled": false])
        #expect(updated["BatchSize"] == 50)
        #expect(updated["State"] == "Disabling")
        world.run(for: .seconds(1))
        #expect(try world.adminCall("lambda", "GetEventSourceMapping", ["UUID": uuid])["State"] == "Disabled")
        #expect(throws: (any Error).self) { _ = try world.adminCall("lambda", "UpdateEventSourceMapping", ["UUID": uuid, "BatchSize": 0]) }
        #expect(throws: (any Error).self) {
            _ = try world.adminCall("lambda", "CreateEventSourceMapping", ["FunctionName": "Tick", "StartingPosition": "LATEST", "EventSourceArn": "arn:aws:kinesis:us-west-2:123456789012:stream/In"])
        }
        _ = try world.adminCall("lambda", "DeleteEventSourceMapping", ["UUID": uuid])
        #expect(throws: (any Error).self) { _ = try world.adminCall("lambda", "GetEventSourceMapping", ["UUID": uuid]) }
    }

    @Test func iamRoleAndPolicyLifecycle() throws {
        let world = try world("""
            local arn = aws.iam.create_policy{ PolicyName = 'Extra', PolicyDocument = json.encode{ Version = '2012-10-17',
              Statement = { { Effect = 'Allow', Action = 'sqs:*', Resource = '*' } } } }.Policy.Arn
            aws.iam.attach_role_policy{ RoleName = 'R', PolicyArn = arn }
            """)
        let attached = try world.adminCall("iam", "ListAttachedRolePolicies", ["RoleName": "R"])["AttachedPolicies"]?.arrayValue ?? []
        #expect(attached.map { $0["PolicyName"] } == ["Extra"])
        #expect(throws: (any Error).self) { _ = try world.adminCall("iam", "DeleteRole", ["RoleName": "R"]) }
        #expect(try world.adminCall("iam", "GetRolePolicy", ["RoleName": "R", "PolicyName": "all"])["PolicyDocument"]?.stringValue?.contains("\"Action\":\"*\"") == true)
        _ = try world.adminCall("iam", "DetachRolePolicy", ["RoleName": "R", "PolicyArn": "arn:aws:iam::123456789012:policy/Extra"])
        _ = try world.adminCall("iam", "DeleteRolePolicy", ["RoleName": "R", "PolicyName": "all"])
        #expect(try world.adminCall("iam", "ListRolePolicies", ["RoleName": "R"])["PolicyNames"] == [])
        _ = try world.adminCall("lambda", "DeleteFunction", ["FunctionName": "Tick"])
        _ = try world.adminCall("iam", "DeleteRole", ["RoleName": "R"])
        #expect(throws: (any Error).self) { _ = try world.adminCall("iam", "GetRole", ["RoleName": "R"]) }
    }

    @Test func kinesisAndStreamListings() throws {
        let world = try world("""
            aws.kinesis.create_stream{ StreamName = 'In', ShardCount = 3 }
            aws.dynamodb.update_table{ TableName = 'Ticks', StreamSpecification = { StreamEnabled = true, StreamViewType = 'KEYS_ONLY' } }
            """)
        let summary = try world.adminCall("kinesis", "DescribeStreamSummary", ["StreamName": "In"])["StreamDescriptionSummary"]
        #expect(summary?["OpenShardCount"] == 3)
        #expect(try world.adminCall("kinesis", "ListStreams", [:])["StreamNames"] == ["In"])
        #expect(try world.adminCall("dynamodbstreams", "ListStreams", ["TableName": "Ticks"])["Streams"]?.arrayValue?.count == 1)
        _ = try world.adminCall("kinesis", "DeleteStream", ["StreamName": "In"])
        #expect(throws: (any Error).self) { _ = try world.adminCall("kinesis", "DescribeStream", ["StreamName": "In"]) }
    }

    @Test func unknownOperationsAndServicesAreClearErrors() throws {
        let world = try world("")
        do {
            try world.runActions(source: "aws.dynamodb.put_itme{}", chunkName: "typo.lua", baseDirectory: "/")
            Issue.record("expected an error")
        } catch let error as LabError {
            #expect(error.description == "typo.lua:1: aws.dynamodb has no operation 'put_itme'; did you mean 'put_item'?")
        }
        do {
            try world.runActions(source: "\naws.s3.list_buckets{}", chunkName: "s3.lua", baseDirectory: "/")
            Issue.record("expected an error")
        } catch let error as LabError {
            #expect(error.line == 2)
            #expect(error.message.contains("aws has no service 's3'"))
        }
    }
}
