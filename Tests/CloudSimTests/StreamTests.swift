import CloudSim
import DocumentModel
import Testing

@Suite struct StreamTests {
    /// Random writes (puts, updates, deletes, no-ops, failed conditions) against a model:
    /// the stream must hold exactly one record per real change, in order per item.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func streamRecordsMatchRealChanges(seed: UInt64) throws {
        let a = try accountWithTable(seed: seed)
        var random = SeededRandom(seed: seed, stream: "property")
        var model: [String: Int] = [:]
        var expected: [String: [String]] = [:]
        for _ in 0..<600 {
            let key = "k\(random.next() % 6)"
            let value = Int(random.next() % 3)
            let current = model[key]
            switch random.next() % 5 {
            case 0:
                _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": .string(key)], "v": ["N": .string(String(value))]]])
                if current != value { expected[key, default: []].append(current == nil ? "INSERT" : "MODIFY") }
                model[key] = value
            case 1:
                _ = try a.ddb("UpdateItem", ["TableName": "Tbl", "Key": ["id": ["S": .string(key)]], "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": [":v": ["N": .string(String(value))]]])
                if current != value { expected[key, default: []].append(current == nil ? "INSERT" : "MODIFY") }
                model[key] = value
            case 2:
                _ = try a.ddb("DeleteItem", ["TableName": "Tbl", "Key": ["id": ["S": .string(key)]]])
                if current != nil { expected[key, default: []].append("REMOVE") }
                model[key] = nil
            case 3:
                do {
                    _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": .string(key)], "v": ["N": "9"]], "ConditionExpression": "attribute_not_exists(id)"])
                    expected[key, default: []].append("INSERT")
                    model[key] = 9
                } catch let e as AWSError where e.code == "ConditionalCheckFailedException" {
                    #expect(current != nil)
                }
            default:
                _ = try a.ddb("UpdateItem", ["TableName": "Tbl", "Key": ["id": ["S": .string(key)]], "UpdateExpression": "ADD v :zero", "ExpressionAttributeValues": [":zero": ["N": "0"]]])
                if current == nil {
                    expected[key, default: []].append("INSERT")
                    model[key] = 0
                }
            }
        }
        var actual: [String: [String]] = [:]
        for record in a.streamRecords() {
            guard case .s(let id)? = record.keys["id"] else { continue }
            actual[id, default: []].append(record.eventName)
        }
        #expect(actual == expected)
    }

    @Test func recordsCarryImagesPerViewType() throws {
        let a = try accountWithTable()
        _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "a"], "v": ["N": "1"]]])
        _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "a"], "v": ["N": "2"]]])
        let records = a.streamRecords()
        #expect(records.map(\.eventName) == ["INSERT", "MODIFY"])
        #expect(records[1].oldImage?["v"] == .n(try DynamoNumber("1")))
        #expect(records[1].newImage?["v"] == .n(try DynamoNumber("2")))
        #expect(records[0].sequenceNumber < records[1].sequenceNumber)
    }

    @Test func getRecordsThroughTheStreamsAPI() throws {
        let a = try accountWithTable()
        let arn = try #require(try a.ddb("DescribeTable", ["TableName": "Tbl"])["Table"]?["LatestStreamArn"])
        for i in 0..<20 { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": .string("k\(i)")]]]) }
        let shards = try a.call("dynamodbstreams", "DescribeStream", ["StreamArn": arn])["StreamDescription"]?["Shards"]?.arrayValue ?? []
        var total = 0
        for shard in shards {
            let iterator = try a.call("dynamodbstreams", "GetShardIterator", ["StreamArn": arn, "ShardId": shard["ShardId"] ?? .null, "ShardIteratorType": "TRIM_HORIZON"])["ShardIterator"]
            let page = try a.call("dynamodbstreams", "GetRecords", ["ShardIterator": iterator ?? .null])
            for record in page["Records"]?.arrayValue ?? [] {
                #expect(record["eventName"] == "INSERT")
                #expect(record["dynamodb"]?["Keys"]?["id"] != nil)
                #expect(record["dynamodb"]?["StreamViewType"] == "NEW_AND_OLD_IMAGES")
            }
            total += page["Records"]?.arrayValue?.count ?? 0
        }
        #expect(total == 20)
        expectAWSError("ValidationException") { _ = try a.call("dynamodbstreams", "GetRecords", ["ShardIterator": "garbage"]) }
    }

    /// "If you disable and then re-enable a stream on the table, a new stream is created with
    /// a different stream descriptor"; a disabled stream's data "will continue to be readable
    /// for 24 hours" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html).
    @Test func aStreamEnabledAgainIsANewStreamAndTheOldOneExpires() throws {
        let a = try accountWithTable()
        func table() throws -> Document { try a.ddb("DescribeTable", ["TableName": "Tbl"])["Table"] ?? .null }
        let first = try #require(try table()["LatestStreamArn"]?.stringValue)
        _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "before"]]])
        // Off and on again with the clock standing still, as an actions file does it.
        _ = try a.ddb("UpdateTable", ["TableName": "Tbl", "StreamSpecification": ["StreamEnabled": false]])
        _ = try a.ddb("UpdateTable", ["TableName": "Tbl", "StreamSpecification": ["StreamEnabled": true, "StreamViewType": "NEW_IMAGE"]])
        let second = try #require(try table()["LatestStreamArn"]?.stringValue)
        #expect(second != first)
        #expect(try table()["LatestStreamLabel"]?.stringValue != first.split(separator: "/").last.map(String.init))
        let listed = try a.call("dynamodbstreams", "ListStreams", ["TableName": "Tbl"])["Streams"]?.arrayValue?.compactMap { $0["StreamArn"]?.stringValue } ?? []
        #expect(listed == [first, second], "each stream once")
        let old = try a.call("dynamodbstreams", "DescribeStream", ["StreamArn": .string(first)])["StreamDescription"]
        #expect(old?["StreamStatus"] == "DISABLED")
        a.run(until: a.scheduler.now + .seconds(24 * 3600 + 1))
        #expect(throws: AWSError.self) { _ = try a.call("dynamodbstreams", "DescribeStream", ["StreamArn": .string(first)]) }
        let later = try a.call("dynamodbstreams", "ListStreams", ["TableName": "Tbl"])["Streams"]?.arrayValue?.compactMap { $0["StreamArn"]?.stringValue }
        #expect(later == [second])
    }

    @Test func recordsExpireAfter24Hours() throws {
        let a = try accountWithTable()
        _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "old"]]])
        a.scheduler.run(until: a.scheduler.now + .seconds(24 * 3600 + 1))
        // Writes to the same shard trim what has expired.
        for i in 0..<40 { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": .string("n\(i)")]]]) }
        #expect(!a.streamRecords().contains { $0.keys["id"] == .s("old") })
    }

    @Test func recordsEveryReaderPassedAreDropped() throws {
        let a = try accountWithTable()
        let stream = try #require(a.dynamodb.tables["Tbl"]?.stream)
        let reader = stream.addReader(startingAt: stream.shards.map(\.endIndex))
        for i in 0..<50 { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": .string("k\(i)")]]]) }
        for (index, shard) in stream.shards.enumerated() { stream.advanceReader(reader, shard: index, to: shard.endIndex) }
        for i in 0..<50 { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": .string("k\(i)")], "v": ["N": "1"]]]) }
        #expect(a.streamRecords().count < 60)
        #expect(a.streamRecords().allSatisfy { $0.eventName == "MODIFY" })
    }

    @Test func sameSeedSameTraceDifferentSeedDifferentIDs() throws {
        func trace(_ seed: UInt64) throws -> [String] {
            let a = try accountWithTable(seed: seed)
            for i in 0..<30 {
                _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": .string("k\(i % 7)")], "v": ["N": .string(String(i))]]])
                a.scheduler.run(until: a.scheduler.now + .milliseconds(10))
            }
            return a.streamRecords().map { "\($0.eventID) \($0.eventName) \($0.sequenceNumber) \($0.time.micros)" }
        }
        #expect(try trace(5) == trace(5))
        #expect(try trace(5) != trace(6))
    }
}
