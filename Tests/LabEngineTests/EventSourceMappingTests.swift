import CloudSim
import DocumentModel
import Foundation
import Testing
@testable import LabEngine

/// A stream `S`, a `Calls` table, and function `F` (allowed everything) whose handler
/// records each batch as `call-N` and then fails when `failWhen(n, event)` is true.
func recordingWorld(
    shards: Int = 1, failWhen: String = "false", extra: String = "", mapping: String = "", concurrency: Int? = nil, before: String = ""
) throws -> World {
    let world = World(seed: 3)
    let source = """
        return function(event, context)
          local seqs, data = {}, {}
          for i, r in ipairs(event.Records) do seqs[i] = r.kinesis.sequenceNumber; data[i] = base64.decode(r.kinesis.data) end
          local n = tonumber(aws.dynamodb.update_item{ TableName = "Calls", Key = { id = { S = "counter" } },
            UpdateExpression = "ADD c :one", ExpressionAttributeValues = { [":one"] = { N = "1" } },
            ReturnValues = "UPDATED_NEW" }.Attributes.c.N)
          aws.dynamodb.put_item{ TableName = "Calls", Item = { id = { S = "call-" .. n },
            seqs = { S = table.concat(seqs, ",") }, data = { S = table.concat(data, ",") },
            shard = { S = string.match(event.Records[1].eventID, "^(shardId%-%d+)") } } }
          \(extra)
          if \(failWhen) then error("failing on purpose in call " .. n) end
        end
        """
    let sourceLiteral = "[==[" + source + "]==]"
    try world.runActions(
        source: """
            aws.kinesis.create_stream{ StreamName = "S", ShardCount = \(shards) }
            aws.dynamodb.create_table{ TableName = "Calls", AttributeDefinitions = { { AttributeName = "id", AttributeType = "S" } },
              KeySchema = { { AttributeName = "id", KeyType = "HASH" } } }
            local role = aws.iam.create_role{ RoleName = "FRole", AssumeRolePolicyDocument = "{}" }.Role.Arn
            aws.iam.put_role_policy{ RoleName = "FRole", PolicyName = "all",
              PolicyDocument = json.encode{ Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "*", Resource = "*" } } } }
            aws.lambda.create_function{ FunctionName = "F", Role = role, Timeout = 30, Code = { Source = \(sourceLiteral) } }
            \(before)
            \(concurrency.map { "aws.lambda.put_function_concurrency{ FunctionName = \"F\", ReservedConcurrentExecutions = \($0) }" } ?? "")
            aws.lambda.create_event_source_mapping{ FunctionName = "F", StartingPosition = "TRIM_HORIZON",
              EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/S", \(mapping) }
            """, chunkName: "setup.lua", baseDirectory: "/")
    return world
}

func put(_ world: World, _ values: [String], keyPrefix: String = "k") throws {
    var records: [Document] = []
    for (i, value) in values.enumerated() { records.append(["Data": .string(value), "PartitionKey": .string("\(keyPrefix)\(i)")]) }
    _ = try world.adminCall("kinesis", "PutRecords", ["StreamName": "S", "Records": .array(records)])
}

/// The recorded calls in order: (shard, sequence numbers, data).
func calls(_ world: World) throws -> [(shard: String, seqs: [String], data: [String])] {
    var result: [(String, [String], [String])] = []
    var n = 1
    while let item = try world.adminCall("dynamodb", "GetItem", ["TableName": "Calls", "Key": ["id": ["S": .string("call-\(n)")]]])["Item"] {
        let split = { (s: String?) in (s ?? "").split(separator: ",").map(String.init) }
        result.append((item["shard"]?["S"]?.stringValue ?? "", split(item["seqs"]?["S"]?.stringValue), split(item["data"]?["S"]?.stringValue)))
        n += 1
    }
    return result
}

@Suite struct EventSourceMappingTests {
    @Test func batchesOfAShardArriveInOrderExactlyOnce() throws {
        let world = try recordingWorld(shards: 3, mapping: "BatchSize = 7")
        try put(world, (0..<60).map { "m\($0)" })
        world.run(for: .seconds(30))
        let all = try calls(world)
        var perShard: [String: [String]] = [:]
        for call in all { perShard[call.shard, default: []] += call.seqs }
        #expect(perShard.values.reduce(0) { $0 + $1.count } == 60)
        for seqs in perShard.values { #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count) }
        #expect(all.allSatisfy { $0.seqs.count <= 7 })
    }

    @Test func aFailedBatchIsRetriedIdenticallyAndTheShardWaits() throws {
        let world = try recordingWorld(failWhen: "n == 1", mapping: "BatchSize = 5")
        try put(world, (0..<12).map { "m\($0)" })
        world.run(for: .seconds(30))
        let all = try calls(world)
        #expect(all.count == 4)
        #expect(all[0].seqs == all[1].seqs)
        #expect(all.dropFirst().flatMap(\.data) == (0..<12).map { "m\($0)" })
        #expect(world.account.logs.metrics["F"]?.errors == 1)
    }

    @Test func maximumRetryAttemptsDiscardsTheBatchAndMovesOn() throws {
        let world = try recordingWorld(failWhen: "data[1] == 'poison'", mapping: "BatchSize = 2, MaximumRetryAttempts = 2")
        try put(world, ["poison", "a", "b", "c"])
        world.run(for: .seconds(30))
        let all = try calls(world)
        #expect(all.filter { $0.data.first == "poison" }.count == 3)
        #expect(all.last?.data == ["b", "c"])
        let mapping = try #require(world.account.lambda.mappings.values.first)
        #expect(mapping.batchesDiscarded == 1)
    }

    @Test func bisectIsolatesThePoisonRecord() throws {
        let world = try recordingWorld(
            failWhen: "string.find(table.concat(data, ','), 'poison') ~= nil",
            mapping: "BatchSize = 8, BisectBatchOnFunctionError = true, MaximumRetryAttempts = 3")
        try put(world, ["a", "b", "poison", "d", "e", "f", "g", "h"])
        world.run(for: .seconds(60))
        let all = try calls(world)
        let succeeded = all.filter { !$0.data.contains("poison") }.flatMap(\.data)
        #expect(succeeded == ["a", "b", "d", "e", "f", "g", "h"])
        #expect(all.contains { $0.data == ["poison"] })
    }

    @Test func reservedConcurrencyOfOneNeverRunsTwoAtOnce() throws {
        let world = try recordingWorld(shards: 4, extra: "time.sleep(2)", mapping: "BatchSize = 10", concurrency: 1)
        try put(world, (0..<80).map { "m\($0)" })
        world.run(for: .seconds(120))
        let metrics = try #require(world.account.logs.metrics["F"])
        #expect(metrics.maxConcurrentExecutions == 1)
        #expect(metrics.throttles > 0)
        #expect(try calls(world).flatMap(\.data).count == 80)
    }

    @Test func withoutReservationShardsRunInParallel() throws {
        let world = try recordingWorld(shards: 4, extra: "time.sleep(2)", mapping: "BatchSize = 10")
        try put(world, (0..<80).map { "m\($0)" })
        world.run(for: .seconds(60))
        #expect((world.account.logs.metrics["F"]?.maxConcurrentExecutions ?? 0) > 1)
    }

    @Test func batchingWindowWaitsForMoreRecords() throws {
        let world = try recordingWorld(mapping: "BatchSize = 100, MaximumBatchingWindowInSeconds = 5")
        world.run(for: .seconds(2))
        try put(world, ["a"])
        world.run(for: .seconds(2))
        try put(world, ["b"])
        world.run(for: .seconds(10))
        #expect(try calls(world).map(\.data) == [["a", "b"]])
    }

    @Test func reportBatchItemFailuresRetriesFromTheFailedRecord() throws {
        let world = try recordingWorld(
            extra: "if n == 1 then return { batchItemFailures = { { itemIdentifier = seqs[3] } } } end",
            mapping: "BatchSize = 5, FunctionResponseTypes = { 'ReportBatchItemFailures' }")
        try put(world, ["a", "b", "c", "d", "e"])
        world.run(for: .seconds(20))
        #expect(try calls(world).map(\.data) == [["a", "b", "c", "d", "e"], ["c", "d", "e"]])
    }
}

@Suite struct MappingStartAndParallelismTests {
    @Test func atTimestampStartsAtTheFirstRecordThatArrivedThen() throws {
        let world = try recordingWorld(mapping: "BatchSize = 10, Enabled = false")
        try put(world, ["old"])
        world.run(for: .seconds(10))
        let cut = world.account.scheduler.now.unixSeconds
        try put(world, ["new"])
        try world.runActions(source: """
            for _, m in ipairs(aws.lambda.list_event_source_mappings{ FunctionName = "F" }.EventSourceMappings) do
              aws.lambda.delete_event_source_mapping{ UUID = m.UUID }
            end
            aws.lambda.create_event_source_mapping{ FunctionName = "F", StartingPosition = "AT_TIMESTAMP",
              StartingPositionTimestamp = \(cut), EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/S" }
            """, chunkName: "at.lua", baseDirectory: "/")
        world.run(for: .seconds(10))
        #expect(try calls(world).map(\.data) == [["new"]])
    }

    @Test func parallelizationRunsSlotsOfOneShardConcurrentlyInKeyOrder() throws {
        let world = try recordingWorld(extra: "time.sleep(1)", mapping: "BatchSize = 5, ParallelizationFactor = 4")
        var values: [String] = []
        for i in 0..<40 { values.append("k\(i % 8)-\(i / 8)") }
        var records: [Document] = []
        for value in values { records.append(["Data": .string(value), "PartitionKey": .string(String(value.prefix(2)))]) }
        _ = try world.adminCall("kinesis", "PutRecords", ["StreamName": "S", "Records": .array(records)])
        world.run(for: .seconds(60))
        let delivered = try calls(world).flatMap(\.data)
        #expect(delivered.count == 40)
        for key in 0..<8 {
            let mine = delivered.filter { $0.hasPrefix("k\(key)-") }
            #expect(mine == (0..<5).map { "k\(key)-\($0)" }, "per-key order for k\(key)")
        }
        #expect((world.account.logs.metrics["F"]?.maxConcurrentExecutions ?? 0) > 1)
    }

    /// The poller asks whether the role may read the stream on every poll, so a deny added
    /// while it runs stops delivery and removing the deny resumes it (the answer is kept only
    /// until IAM changes).
    @Test func aDenyAddedWhileRunningStopsDeliveryUntilItIsRemoved() throws {
        let world = try recordingWorld()
        try put(world, ["before"])
        world.run(for: .seconds(10))
        #expect(try calls(world).map(\.data) == [["before"]])
        let deny = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kinesis:GetRecords","Resource":"*"}]}
            """
        _ = try world.adminCall("iam", "PutRolePolicy", ["RoleName": "FRole", "PolicyName": "deny", "PolicyDocument": .string(deny)])
        try put(world, ["denied"])
        world.run(for: .seconds(30))
        #expect(try calls(world).map(\.data) == [["before"]])
        let mapping = try world.adminCall("lambda", "ListEventSourceMappings", ["FunctionName": "F"])["EventSourceMappings"]?.arrayValue?.first
        #expect(mapping?["LastProcessingResult"]?.stringValue?.hasPrefix("PROBLEM") == true)
        _ = try world.adminCall("iam", "DeleteRolePolicy", ["RoleName": "FRole", "PolicyName": "deny"])
        world.run(for: .seconds(30))
        #expect(try calls(world).map(\.data) == [["before"], ["denied"]])
    }
}

/// What a handler receives is the event AWS documents, field for field.
@Suite struct LambdaEventShapeTests {
    /// Stores `json.encode` of the first record of each event under `event-N`.
    static let source = """
        local n = 0
        return function(event)
          n = n + 1
          aws.dynamodb.put_item{ TableName = "Events", Item = { id = { S = "event-" .. n },
            record = { S = json.encode(event.Records[1]) }, count = { N = tostring(#event.Records) } } }
        end
        """

    func world() throws -> World {
        let world = World(seed: 5)
        try world.runActions(
            source: """
                aws.kinesis.create_stream{ StreamName = "S", ShardCount = 1 }
                for _, name in ipairs{ "Events", "Items" } do
                  aws.dynamodb.create_table{ TableName = name, AttributeDefinitions = { { AttributeName = "id", AttributeType = "S" } },
                    KeySchema = { { AttributeName = "id", KeyType = "HASH" } },
                    StreamSpecification = name == "Items" and { StreamEnabled = true, StreamViewType = "NEW_AND_OLD_IMAGES" } or nil }
                end
                local role = aws.iam.create_role{ RoleName = "R", AssumeRolePolicyDocument = "{}" }.Role.Arn
                aws.iam.put_role_policy{ RoleName = "R", PolicyName = "all",
                  PolicyDocument = json.encode{ Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "*", Resource = "*" } } } }
                aws.lambda.create_function{ FunctionName = "F", Role = role, Code = { Source = [==[\(Self.source)]==] } }
                """, chunkName: "setup.lua", baseDirectory: "/")
        return world
    }

    func firstRecord(_ world: World) throws -> Document {
        let item = try world.adminCall("dynamodb", "GetItem", ["TableName": "Events", "Key": ["id": ["S": "event-1"]]])["Item"]
        let text = try #require(item?["record"]?["S"]?.stringValue)
        return try Document(jsonText: text)
    }

    @Test func kinesisRecords() throws {
        let world = try world()
        _ = try world.adminCall("lambda", "CreateEventSourceMapping", [
            "FunctionName": "F", "StartingPosition": "TRIM_HORIZON", "EventSourceArn": "arn:aws:kinesis:us-west-2:123456789012:stream/S",
        ])
        let put = try world.adminCall("kinesis", "PutRecord", ["StreamName": "S", "Data": "hello, world", "PartitionKey": "p1"])
        world.run(for: .seconds(5))
        let record = try firstRecord(world)
        let sequence = try #require(put["SequenceNumber"]?.stringValue)
        #expect(record["eventID"] == .string("shardId-000000000000:\(sequence)"))
        #expect(record["eventSource"] == "aws:kinesis" && record["eventName"] == "aws:kinesis:record" && record["eventVersion"] == "1.0")
        #expect(record["awsRegion"] == "us-west-2" && record["eventSourceARN"] == "arn:aws:kinesis:us-west-2:123456789012:stream/S")
        #expect(record["invokeIdentityArn"] == "arn:aws:iam::123456789012:role/R")
        let kinesis = try #require(record["kinesis"])
        #expect(kinesis["data"] == "aGVsbG8sIHdvcmxk" && kinesis["partitionKey"] == "p1" && kinesis["kinesisSchemaVersion"] == "1.0")
        #expect(kinesis["sequenceNumber"] == .string(sequence) && kinesis["approximateArrivalTimestamp"]?.doubleValue != nil)
        #expect(record.mapValue?.count == 8 && kinesis.mapValue?.count == 5)
    }

    @Test func dynamoDBStreamRecords() throws {
        let world = try world()
        let streamArn = try #require(
            try world.adminCall("dynamodb", "DescribeTable", ["TableName": "Items"])["Table"]?["LatestStreamArn"]?.stringValue)
        _ = try world.adminCall("lambda", "CreateEventSourceMapping", [
            "FunctionName": "F", "StartingPosition": "TRIM_HORIZON", "EventSourceArn": .string(streamArn),
        ])
        _ = try world.adminCall("dynamodb", "PutItem", ["TableName": "Items", "Item": ["id": ["S": "a"], "v": ["N": "1.50"]]])
        _ = try world.adminCall("dynamodb", "PutItem", ["TableName": "Items", "Item": ["id": ["S": "a"], "v": ["N": "2"], "b": ["B": .bytes([1, 2])]]])
        world.run(for: .seconds(5))
        let record = try firstRecord(world)
        #expect(record["eventName"] == "INSERT" && record["eventSource"] == "aws:dynamodb" && record["eventVersion"] == "1.1")
        #expect(record["awsRegion"] == "us-west-2" && record["eventSourceARN"] == .string(streamArn))
        #expect(record["eventID"]?.stringValue?.isEmpty == false && record.mapValue?.count == 7)
        let change = try #require(record["dynamodb"])
        #expect(change["Keys"] == ["id": ["S": "a"]] && change["NewImage"] == ["id": ["S": "a"], "v": ["N": "1.5"]])
        #expect(change["OldImage"] == nil && change["StreamViewType"] == "NEW_AND_OLD_IMAGES")
        #expect(change["SequenceNumber"]?.stringValue != nil && change["SizeBytes"]?.intValue != nil)
        #expect(change["ApproximateCreationDateTime"]?.doubleValue != nil && change.mapValue?.count == 6)
        let count = try world.adminCall("dynamodb", "GetItem", ["TableName": "Events", "Key": ["id": ["S": "event-1"]]])["Item"]?["count"]
        #expect(count == ["N": "2"])
    }
}
