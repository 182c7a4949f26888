import DocumentModel

/// A stream as a request names it: by `StreamARN` when given, else by `StreamName`.
struct StreamReference {
    let name: String

    init(_ p: Params) throws {
        if let arn = try p.optionalString("StreamARN") {
            name = String(arn.split(separator: "/").last ?? "")
        } else {
            name = try p.string("StreamName")
        }
    }
}

/// One record to write: PutRecord's input, or an entry of PutRecords.
struct RecordInput {
    let data: [UInt8]
    let partitionKey: String
    let explicitHashKey: String?

    init(_ p: Params) throws {
        // The model requires Data and PartitionKey; the validator has checked both.
        data = p["Data"]?.bytesValue ?? []
        partitionKey = try p.string("PartitionKey")
        explicitHashKey = try p.optionalString("ExplicitHashKey")
    }
}

/// PutRecord's input, decoded once from a request the model validated.
struct PutRecordInput {
    let stream: StreamReference
    let record: RecordInput

    init(_ p: Params) throws {
        stream = try StreamReference(p)
        record = try RecordInput(p)
    }
}

/// PutRecords' input.
struct PutRecordsInput {
    let stream: StreamReference
    let records: [RecordInput]

    init(_ p: Params) throws {
        stream = try StreamReference(p)
        records = try p.list("Records").map { try RecordInput(try Params($0)) }
    }
}

/// GetRecords' input.
struct GetRecordsInput {
    let shardIterator: String
    let limit: Int

    init(_ p: Params) throws {
        shardIterator = try p.string("ShardIterator")
        limit = try p.optionalInt("Limit") ?? 10_000
    }
}
