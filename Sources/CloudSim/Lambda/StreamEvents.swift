import DocumentModel

/// A Lambda event of Kinesis records, as event source mappings deliver it.
struct KinesisEvent: DocumentWritable {
    let records: [KinesisRecord]
    let shardID: String
    let roleArn: String
    let region: String
    let streamArn: String

    func write<E: JSONEvents>(into events: inout E) {
        writeRecords(count: records.count, into: &events) { i, events in
            let record = records[i]
            events.beginObject(count: 8)
            events.key("kinesis")
            events.beginObject(count: 5)
            events.member("kinesisSchemaVersion", literal: "1.0")
            record.writePartitionKey(as: "partitionKey", into: &events)
            record.writeSequenceNumber(as: "sequenceNumber", into: &events)
            events.key("data")
            record.withData { data in Base64.withEncoded(data) { events.string($0) } }
            events.endMember()
            events.member("approximateArrivalTimestamp", Document.double(record.arrival.unixSeconds))
            events.endObject()
            events.endMember()
            events.member("eventSource", literal: "aws:kinesis")
            events.member("eventVersion", literal: "1.0")
            events.key("eventID")
            Self.withEventID(shard: shardID, record) { events.string($0) }
            events.endMember()
            events.member("eventName", literal: "aws:kinesis:record")
            events.member("invokeIdentityArn", recurring: roleArn)
            events.member("awsRegion", recurring: region)
            events.member("eventSourceARN", recurring: streamArn)
            events.endObject()
        }
    }

    /// `shardId-…:sequence`, written on the stack: every record of every batch has one.
    private static func withEventID(shard: String, _ record: KinesisRecord, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var shard = shard
        shard.withUTF8 { prefix in
            record.withSequenceNumber { sequence in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: prefix.count + 1 + sequence.count) { buffer in
                    _ = buffer.initialize(fromContentsOf: prefix)
                    buffer[prefix.count] = UInt8(ascii: ":")
                    _ = buffer[(prefix.count + 1)...].initialize(fromContentsOf: sequence)
                    body(UnsafeBufferPointer(buffer))
                }
            }
        }
    }
}

/// A Lambda event of DynamoDB stream records, as event source mappings deliver it.
struct DynamoDBStreamEvent: DocumentWritable {
    let records: [StreamRecord]
    let region: String
    let viewType: String
    let streamArn: String

    func write<E: JSONEvents>(into events: inout E) {
        writeRecords(count: records.count, into: &events) { i, events in
            StreamRecordWriter(record: records[i], region: region, viewType: viewType, sourceArn: streamArn).write(into: &events)
        }
    }
}

/// Writes `{"Records": [...]}`, record `i` by `writeRecord(i)`. (Not generic over the
/// record's type: unspecialised, walking `[R]` cost 1,900 instructions a record.)
private func writeRecords<E: JSONEvents>(count: Int, into events: inout E, _ writeRecord: (Int, inout E) -> Void) {
    events.beginObject(count: 1)
    events.key("Records")
    events.beginArray()
    for i in 0..<count {
        writeRecord(i, &events)
        events.endElement(i + 1)
    }
    events.endArray()
    events.endMember()
    events.endObject()
}
