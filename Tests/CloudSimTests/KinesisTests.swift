import CloudSim
import DocumentModel
import Testing

@Suite struct KinesisTests {
    func account(shards: Int = 4) throws -> CloudAccount {
        let a = CloudAccount()
        _ = try a.call("kinesis", "CreateStream", ["StreamName": "S", "ShardCount": .int(Int64(shards))])
        return a
    }

    @Test(arguments: [
        ("a", "0cc175b9c0f1b6a831c399e269772661", "shardId-000000000000"),
        ("hello", "5d41402abc4b2a76b9719d911017c592", "shardId-000000000001"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72", "shardId-000000000002"),
        ("1", "c4ca4238a0b923820dcc509a6f75849b", "shardId-000000000003"),
    ])
    func shardChoiceFollowsMD5OfThePartitionKey(key: String, md5: String, shard: String) throws {
        let a = try account()
        #expect(Kinesis.hashKey(key) == UInt128(md5, radix: 16))
        let result = try a.call("kinesis", "PutRecord", ["StreamName": "S", "Data": "x", "PartitionKey": .string(key)])
        #expect(result["ShardId"] == .string(shard))
    }

    @Test func hashRangesCoverTheKeySpace() throws {
        let a = try account(shards: 20)
        let shards = try a.call("kinesis", "ListShards", ["StreamName": "S"])["Shards"]?.arrayValue ?? []
        #expect(shards.count == 20)
        #expect(shards.first?["HashKeyRange"]?["StartingHashKey"] == "0")
        #expect(shards.last?["HashKeyRange"]?["EndingHashKey"] == .string(String(UInt128.max)))
    }

    @Test func putRecordsAndReadThemBackInOrder() throws {
        let a = try account(shards: 1)
        let records: [Document] = (0..<40).map { ["Data": .string("m\($0)"), "PartitionKey": .string("p\($0)")] }
        let put = try a.call("kinesis", "PutRecords", ["StreamName": "S", "Records": .array(records)])
        #expect(put["FailedRecordCount"] == 0)
        let sequences = put["Records"]?.arrayValue?.compactMap { $0["SequenceNumber"]?.stringValue } ?? []
        #expect(sequences == sequences.sorted())
        let iterator = try a.call("kinesis", "GetShardIterator", ["StreamName": "S", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"])["ShardIterator"]
        let got = try a.call("kinesis", "GetRecords", ["ShardIterator": iterator ?? .null, "Limit": 25])
        #expect(got["Records"]?.arrayValue?.count == 25)
        #expect(got["Records"]?.arrayValue?.first?["Data"]?.bytesValue == Array("m0".utf8))
        let rest = try a.call("kinesis", "GetRecords", ["ShardIterator": got["NextShardIterator"] ?? .null])
        #expect(rest["Records"]?.arrayValue?.count == 15)
        let after = try a.call("kinesis", "GetShardIterator", ["StreamName": "S", "ShardId": "shardId-000000000000", "ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": .string(sequences[38])])["ShardIterator"]
        #expect(try a.call("kinesis", "GetRecords", ["ShardIterator": after ?? .null])["Records"]?.arrayValue?.count == 1)
    }

    /// A record keeps its sequence number as its shard and number, and its partition key in
    /// its data's buffer: what GetRecords returns is what PutRecords was given, and a sequence
    /// number of another shard (or none of ours) is refused as AWS refuses an invalid one
    /// (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetShardIterator.html).
    @Test func recordsKeepTheirKeysAndSequenceNumbers() throws {
        let a = try account(shards: 2)
        let keys = ["é-κλειδί", "", "k", String(repeating: "x", count: 256)].filter { !$0.isEmpty }
        var written: [(shard: String, sequence: String, key: String)] = []
        for key in keys {
            let put = try a.call("kinesis", "PutRecord", ["StreamName": "S", "Data": .bytes(Array("d-\(key)".utf8)), "PartitionKey": .string(key)])
            written.append((put["ShardId"]?.stringValue ?? "", put["SequenceNumber"]?.stringValue ?? "", key))
        }
        for (shard, sequence, key) in written {
            #expect(sequence.count == 29 && sequence.hasPrefix("4959") && sequence.allSatisfy(\.isNumber), "\(sequence)")
            let at = try a.call("kinesis", "GetShardIterator", [
                "StreamName": "S", "ShardId": .string(shard), "ShardIteratorType": "AT_SEQUENCE_NUMBER", "StartingSequenceNumber": .string(sequence),
            ])["ShardIterator"]
            let first = try a.call("kinesis", "GetRecords", ["ShardIterator": at ?? .null])["Records"]?.arrayValue?.first
            #expect(first?["SequenceNumber"]?.stringValue == sequence)
            #expect(first?["PartitionKey"]?.stringValue == key)
            #expect(first?["Data"]?.bytesValue == Array("d-\(key)".utf8))
            let other = shard == "shardId-000000000000" ? "shardId-000000000001" : "shardId-000000000000"
            #expect(throws: AWSError.self) {
                _ = try a.call("kinesis", "GetShardIterator", [
                    "StreamName": "S", "ShardId": .string(other), "ShardIteratorType": "AT_SEQUENCE_NUMBER", "StartingSequenceNumber": .string(sequence),
                ])
            }
        }
        for bad in ["49590000000000000000000000000", "1", "4959000000000000000000000000x"] {
            #expect(throws: AWSError.self) {
                _ = try a.call("kinesis", "GetShardIterator", [
                    "StreamName": "S", "ShardId": "shardId-000000000000", "ShardIteratorType": "AT_SEQUENCE_NUMBER", "StartingSequenceNumber": .string(bad),
                ])
            }
        }
    }

    @Test func validationAndMissingStreams() throws {
        let a = try account()
        expectAWSError("ResourceNotFoundException", "Stream Nope under account 123456789012 not found.") {
            _ = try a.call("kinesis", "PutRecord", ["StreamName": "Nope", "Data": "x", "PartitionKey": "k"])
        }
        // Kinesis checks its model's constraints as ValidationException (Kinesis API Reference, Common Errors).
        expectAWSError("ValidationException", "Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1") {
            _ = try a.call("kinesis", "PutRecord", ["StreamName": "S", "Data": "x", "PartitionKey": ""])
        }
        let tooMany = Document.array((0..<501).map { _ in ["Data": "x", "PartitionKey": "k"] })
        expectAWSError("ValidationException", "at 'records' failed to satisfy constraint: Member must have length less than or equal to 500") { _ = try a.call("kinesis", "PutRecords", ["StreamName": "S", "Records": tooMany]) }
        expectAWSError("ValidationException", "Value null at 'records.2.member.data' failed to satisfy constraint: Member must not be null") {
            _ = try a.call("kinesis", "PutRecords", ["StreamName": "S", "Records": [["Data": "x", "PartitionKey": "k"], ["PartitionKey": "k"]]])
        }
        let total = try a.call("kinesis", "DescribeStream", ["StreamName": "S"])["StreamDescription"]?["Shards"]?.arrayValue?.count
        #expect(total == 4)
        #expect(a.kinesis.streams["S"]?.shards.allSatisfy { $0.endIndex == 0 } == true)
    }

    @Test func retentionDropsOldRecords() throws {
        let a = try account(shards: 1)
        _ = try a.call("kinesis", "PutRecord", ["StreamName": "S", "Data": "old", "PartitionKey": "k"])
        a.scheduler.run(until: a.scheduler.now + .seconds(24 * 3600 + 1))
        _ = try a.call("kinesis", "PutRecord", ["StreamName": "S", "Data": "new", "PartitionKey": "k"])
        #expect(a.kinesis.streams["S"]?.shards[0].firstIndex == 1)
    }
}
