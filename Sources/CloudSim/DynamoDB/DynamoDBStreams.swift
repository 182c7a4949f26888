import DocumentModel

/// The DynamoDB Streams API over the tables' streams.
public final class DynamoDBStreams {
    let dynamodb: DynamoDB

    public init(dynamodb: DynamoDB) { self.dynamodb = dynamodb }

    /// Runs one operation, its request already validated against the model. - Throws: ``AWSError``.
    func execute(_ operation: OperationDescriptor, _ request: Document) throws -> Document {
        switch operation.name {
        case "ListStreams": return try listStreams(request)
        case "DescribeStream": return try describeStream(request)
        case "GetShardIterator": return try getShardIterator(request)
        case "GetRecords": return try getRecords(request)
        default: throw ServiceRegistry.shared.unknownOperation(.dynamodbstreams, operation.name)
        }
    }

    func stream(_ arn: String) throws(AWSError) -> TableStream {
        guard let stream = dynamodb.stream(arn: arn) else {
            throw AWSError.notFound("Requested resource not found: Stream: \(arn) not found")
        }
        return stream
    }

    func listStreams(_ request: Document) throws -> Document {
        let p = try Params(request)
        let tableName = try p.optionalString("TableName")
        var streams: [Document] = []
        for name in dynamodb.tables.keys.sorted() where tableName == nil || tableName == name {
            guard let table = dynamodb.tables[name] else { continue }
            // A disabled stream is listed until it expires.
            for stream in table.formerStreams + (table.stream.map { [$0] } ?? []) where stream.readable(at: dynamodb.now) {
                streams.append([
                    "StreamArn": .string(stream.arn), "TableName": .string(name), "StreamLabel": .string(stream.label),
                ])
            }
        }
        return ["Streams": .array(streams)]
    }

    func describeStream(_ request: Document) throws -> Document {
        let p = try Params(request)
        let stream = try stream(try p.string("StreamArn"))
        let table = dynamodb.tables[stream.tableName]
        let shards: [Document] = stream.shards.map { shard in
            [
                "ShardId": .string(shard.shardID),
                "SequenceNumberRange": ["StartingSequenceNumber": .string(shard.record(at: shard.firstIndex)?.sequenceNumber ?? "0")],
            ]
        }
        var keySchema: [Document] = []
        if let table {
            keySchema.append(["AttributeName": .string(table.partitionKey.name), "KeyType": "HASH"])
            if let sort = table.sortKey { keySchema.append(["AttributeName": .string(sort.name), "KeyType": "RANGE"]) }
        }
        return [
            "StreamDescription": [
                "StreamArn": .string(stream.arn), "StreamLabel": .string(stream.label),
                "StreamStatus": .string(stream.enabled ? "ENABLED" : "DISABLED"),
                "StreamViewType": .string(stream.viewType), "TableName": .string(stream.tableName),
                "KeySchema": .array(keySchema), "Shards": .array(shards),
            ]
        ]
    }

    func getShardIterator(_ request: Document) throws -> Document {
        let p = try Params(request)
        let stream = try stream(try p.string("StreamArn"))
        let shardID = try p.string("ShardId")
        guard let index = stream.shards.firstIndex(where: { $0.shardID == shardID }) else {
            throw AWSError.notFound("Requested resource not found: Shard does not exist")
        }
        let shard = stream.shards[index]
        let type = try p.choice("ShardIteratorType", ["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"])
        var position: Int
        switch type {
        case "TRIM_HORIZON": position = shard.firstIndex
        case "LATEST": position = shard.endIndex
        default:
            let sequence = try p.string("SequenceNumber")
            guard let found = (shard.firstIndex..<shard.endIndex).first(where: { shard.record(at: $0)?.sequenceNumber == sequence }) else {
                throw AWSError("TrimmedDataAccessException", "The requested sequence number is beyond the trim horizon or does not exist: \(sequence)")
            }
            position = type == "AT_SEQUENCE_NUMBER" ? found : found + 1
        }
        return ["ShardIterator": .string("\(stream.arn)|\(index)|\(position)")]
    }

    func getRecords(_ request: Document) throws -> Document {
        let p = try Params(request)
        let iterator = try p.string("ShardIterator")
        let limit = try p.optionalInt("Limit", in: 1...1000) ?? 1000
        let parts = iterator.split(separator: "|").map(String.init)
        guard parts.count == 3, let index = Int(parts[1]), let position = Int(parts[2]) else {
            throw AWSError.validation("Invalid ShardIterator")
        }
        let stream = try stream(parts[0])
        guard stream.shards.indices.contains(index) else { throw AWSError.validation("Invalid ShardIterator") }
        let shard = stream.shards[index]
        if position < shard.firstIndex {
            throw AWSError("TrimmedDataAccessException", "The operation attempted to read past the oldest stream record in a shard.")
        }
        let records = shard.records(from: position, limit: limit)
        let docs = records.map { $0.document(region: dynamodb.region, viewType: stream.viewType) }
        var result: [String: Document] = ["Records": .array(docs)]
        let next = position + records.count
        if stream.enabled || next < shard.endIndex {
            result["NextShardIterator"] = .string("\(stream.arn)|\(index)|\(next)")
        }
        return .map(result)
    }
}
