import Hashing
import DocumentModel

/// The simulated Kinesis Data Streams service of one account and region.
public final class Kinesis {
    public let region: String
    public let accountID: String
    let scheduler: Scheduler
    public internal(set) var streams: [String: KinesisStream] = [:]

    public init(region: String, accountID: String, scheduler: Scheduler) {
        self.region = region
        self.accountID = accountID
        self.scheduler = scheduler
    }

    /// Runs one operation, its request already validated against the model. GetRecords' and
    /// PutRecords' responses write themselves (``GetRecordsOutput``, ``PutRecordsOutput``).
    /// - Throws: ``AWSError`` with Kinesis's codes.
    func respond(_ operation: OperationDescriptor, _ request: Document) throws -> any DocumentWritable {
        switch operation.name {
        case "CreateStream": return try createStream(request)
        case "DeleteStream": return try deleteStream(request)
        case "DescribeStream": return try describeStream(request, summary: false)
        case "DescribeStreamSummary": return try describeStream(request, summary: true)
        case "ListStreams": return try listStreams(request)
        case "ListShards": return try listShards(request)
        case "PutRecord": return try putRecord(request)
        case "PutRecords": return try putRecords(request)
        case "GetShardIterator": return try getShardIterator(request)
        case "GetRecords": return try getRecords(request)
        case "IncreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod": return try retention(request)
        default: throw ServiceRegistry.shared.unknownOperation(.kinesis, operation.name)
        }
    }

    /// The partition key's MD5 as a big-endian 128-bit integer, which picks the shard.
    public static func hashKey(_ partitionKey: String) -> UInt128 {
        var value: UInt128 = 0
        for byte in Digest.md5(partitionKey.utf8) { value = value << 8 | UInt128(byte) }
        return value
    }

    func params(_ request: Document) throws -> Params {
        try Params(request, errorCode: "InvalidArgumentException")
    }

    /// The stream named by StreamName or StreamARN.
    func stream(_ p: Params) throws -> KinesisStream { try stream(try StreamReference(p)) }

    func stream(_ reference: StreamReference) throws -> KinesisStream {
        guard let stream = streams[reference.name] else {
            throw AWSError("ResourceNotFoundException", "Stream \(reference.name) under account \(accountID) not found.")
        }
        return stream
    }

    func createStream(_ request: Document) throws -> Document {
        let p = try params(request)
        let name = try p.string("StreamName")
        guard (1...128).contains(name.count),
            name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) })
        else {
            throw AWSError("InvalidArgumentException", "Stream name \(name) is invalid: use 1 to 128 of a-z, A-Z, 0-9, _ . -")
        }
        guard streams[name] == nil else {
            throw AWSError("ResourceInUseException", "Stream \(name) under account \(accountID) already exists.")
        }
        let count = try p.optionalInt("ShardCount", in: 1...500) ?? 4
        streams[name] = KinesisStream(
            name: name, arn: "arn:aws:kinesis:\(region):\(accountID):stream/\(name)", shardCount: count,
            creationTime: scheduler.now)
        return [:]
    }

    func deleteStream(_ request: Document) throws -> Document {
        let p = try params(request)
        streams[try stream(p).name] = nil
        return [:]
    }

    func shardDocument(_ shard: KinesisShard) -> Document {
        [
            "ShardId": .string(shard.shardID),
            "HashKeyRange": [
                "StartingHashKey": .string(String(shard.startingHashKey)), "EndingHashKey": .string(String(shard.endingHashKey)),
            ],
            "SequenceNumberRange": ["StartingSequenceNumber": .string(shard.record(at: shard.firstIndex)?.sequenceNumber ?? "0")],
        ]
    }

    func describeStream(_ request: Document, summary: Bool) throws -> Document {
        let p = try params(request)
        let stream = try stream(p)
        var description: [String: Document] = [
            "StreamName": .string(stream.name), "StreamARN": .string(stream.arn), "StreamStatus": "ACTIVE",
            "RetentionPeriodHours": .int(Int64(stream.retentionHours)), "EncryptionType": "NONE",
            "StreamCreationTimestamp": .double(stream.creationTime.unixSeconds),
            "StreamModeDetails": ["StreamMode": "PROVISIONED"],
        ]
        if summary {
            description["OpenShardCount"] = .int(Int64(stream.shards.count))
            return ["StreamDescriptionSummary": .map(description)]
        }
        description["Shards"] = .array(stream.shards.map(shardDocument))
        description["HasMoreShards"] = false
        return ["StreamDescription": .map(description)]
    }

    func listStreams(_ request: Document) throws -> Document {
        _ = try params(request)
        let names = streams.keys.sorted()
        return [
            "StreamNames": .array(names.map { .string($0) }), "HasMoreStreams": false,
            "StreamSummaries": .array(names.compactMap { streams[$0] }.map { ["StreamName": .string($0.name), "StreamARN": .string($0.arn), "StreamStatus": "ACTIVE"] }),
        ]
    }

    func listShards(_ request: Document) throws -> Document {
        let p = try params(request)
        return ["Shards": .array(try stream(p).shards.map(shardDocument))]
    }

    func retention(_ request: Document) throws -> Document {
        let p = try params(request)
        let stream = try stream(p)
        stream.retentionHours = try p.optionalInt("RetentionPeriodHours", in: 24...8760) ?? 24
        return [:]
    }

    /// Appends one record to its shard (the model has checked its sizes and key length).
    private func put(_ stream: KinesisStream, _ input: RecordInput, path: String) throws -> (record: KinesisRecord, shard: KinesisShard) {
        var hash = Self.hashKey(input.partitionKey)
        if let explicit = input.explicitHashKey {
            guard let value = UInt128(explicit) else {
                throw AWSError("InvalidArgumentException", "\(path)ExplicitHashKey must be a decimal integer from 0 to 2^128 - 1")
            }
            hash = value
        }
        let shard = stream.shard(for: hash)
        let now = scheduler.now
        shard.expire(before: now - .seconds(Double(stream.retentionHours) * 3600))
        return (shard.append(partitionKey: input.partitionKey, data: input.data, at: now), shard)
    }

    func putRecord(_ request: Document) throws -> Document {
        let input = try PutRecordInput(try params(request))
        let (record, shard) = try put(try stream(input.stream), input.record, path: "")
        return ["ShardId": .string(shard.shardID), "SequenceNumber": .string(record.sequenceNumber), "EncryptionType": "NONE"]
    }

    /// PutRecords' response, which writes itself: each record's sequence number and shard,
    /// handed to the function that sent them without a document of each first.
    func putRecords(_ request: Document) throws -> PutRecordsOutput {
        let input = try PutRecordsInput(try params(request))
        let stream = try stream(input.stream)
        // Checked before anything is written, so a request over the limit writes nothing.
        guard input.records.reduce(0, { $0 + $1.data.count + $1.partitionKey.utf8.count }) <= 5 * 1_048_576 else {
            throw AWSError("InvalidArgumentException", "Records size exceeds 5 MB limit")
        }
        var written: [(record: KinesisRecord, shard: KinesisShard)] = []
        written.reserveCapacity(input.records.count)
        for (i, record) in input.records.enumerated() {
            written.append(try put(stream, record, path: "Records[\(i)]."))
        }
        return PutRecordsOutput(written: written)
    }

    func getShardIterator(_ request: Document) throws -> Document {
        let p = try params(request)
        let stream = try stream(p)
        let shardID = try p.string("ShardId")
        guard let index = stream.shards.firstIndex(where: { $0.shardID == shardID }) else {
            throw AWSError("ResourceNotFoundException", "Shard \(shardID) in stream \(stream.name) under account \(accountID) does not exist")
        }
        let shard = stream.shards[index]
        let type = try p.choice(
            "ShardIteratorType", ["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "AT_TIMESTAMP"])
        let position: Int
        switch type {
        case "TRIM_HORIZON": position = shard.firstIndex
        case "LATEST": position = shard.endIndex
        case "AT_TIMESTAMP":
            guard let seconds = try p.optionalDouble("Timestamp") else {
                throw AWSError("InvalidArgumentException", "Timestamp is required for AT_TIMESTAMP")
            }
            let time = VirtualTime(unixSeconds: seconds)
            position = (shard.firstIndex..<shard.endIndex).first { (shard.record(at: $0)?.arrival ?? time) >= time } ?? shard.endIndex
        default:
            let sequence = try p.string("StartingSequenceNumber")
            guard let found = shard.position(of: sequence) else {
                throw AWSError("InvalidArgumentException", "StartingSequenceNumber \(sequence) used in GetShardIterator on shard \(shardID) in stream \(stream.name) under account \(accountID) is invalid.")
            }
            position = type == "AT_SEQUENCE_NUMBER" ? found : found + 1
        }
        return ["ShardIterator": .string("\(stream.name)|\(index)|\(position)")]
    }

    /// GetRecords' response, which writes itself: the scoreboard reads every record of a
    /// run through it, and a table of each record written into Lua costs less than a
    /// document of each first.
    func getRecords(_ request: Document) throws -> GetRecordsOutput {
        let input = try GetRecordsInput(try params(request))
        let limit = input.limit
        let parts = input.shardIterator.split(separator: "|").map(String.init)
        guard parts.count == 3, let stream = streams[parts[0]], let index = Int(parts[1]), let position = Int(parts[2]),
            stream.shards.indices.contains(index)
        else {
            throw AWSError("InvalidArgumentException", "Invalid ShardIterator.")
        }
        let shard = stream.shards[index]
        let start = max(position, shard.firstIndex)
        let records = shard.records(from: start, limit: limit)
        let next = start + records.count
        let behind = shard.record(at: shard.endIndex - 1).map { scheduler.now - $0.arrival } ?? .zero
        return GetRecordsOutput(
            records: records, nextShardIterator: "\(stream.name)|\(index)|\(next)",
            millisBehindLatest: next < shard.endIndex ? Int64(behind.milliseconds) : 0)
    }

}

/// GetRecords' response: its records, where to read next, and how far behind the shard's
/// end that is (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html).
/// Members are written in their names' order, as a document's are pushed.
struct GetRecordsOutput: DocumentWritable {
    let records: [KinesisRecord]
    let nextShardIterator: String
    let millisBehindLatest: Int64

    func write<E: JSONEvents>(into events: inout E) {
        events.beginObject(count: 3)
        events.member("MillisBehindLatest", Document.int(millisBehindLatest))
        events.member("NextShardIterator", nextShardIterator)
        events.key("Records")
        events.beginArray()
        for (i, record) in records.enumerated() {
            events.beginObject(count: 4)
            events.member("ApproximateArrivalTimestamp", Document.double(record.arrival.unixSeconds))
            events.key("Data")
            record.withData { events.bytes($0) }
            events.endMember()
            record.writePartitionKey(as: "PartitionKey", into: &events)
            record.writeSequenceNumber(as: "SequenceNumber", into: &events)
            events.endObject()
            events.endElement(i + 1)
        }
        events.endArray()
        events.endMember()
        events.endObject()
    }
}

/// PutRecords' response: `FailedRecordCount`, each record's `SequenceNumber` and `ShardId`
/// in request order, `EncryptionType`
/// (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html). Every record
/// is written: the simulated stream refuses none (docs/fidelity.md). Members are written in
/// their names' order, as a document's are pushed.
struct PutRecordsOutput: DocumentWritable {
    let written: [(record: KinesisRecord, shard: KinesisShard)]

    func write<E: JSONEvents>(into events: inout E) {
        events.beginObject(count: 3)
        events.member("EncryptionType", literal: "NONE")
        events.member("FailedRecordCount", Document.int(0))
        events.key("Records")
        events.beginArray()
        for (i, entry) in written.enumerated() {
            events.beginObject(count: 2)
            entry.record.writeSequenceNumber(as: "SequenceNumber", into: &events)
            events.member("ShardId", entry.shard.shardID)
            events.endObject()
            events.endElement(i + 1)
        }
        events.endArray()
        events.endMember()
        events.endObject()
    }
}
