import DocumentModel

/// A Lambda event of Kinesis records, as event source mappings deliver it.
struct KinesisEvent: DocumentWritable {
    let records: [KinesisRecord]
    let shardID: String
    let roleArn: String
    let region: String
    let streamArn: String

    func write<E: JSONEvents>(into events: inout E) {
        writeRecords(records, into: &events) { record, events in
            events.beginObject(count: 8)
            events.key("kinesis")
            events.beginObject(count: 5)
            events.member("kinesisSchemaVersion", "1.0")
            events.key("partitionKey")
            record.withPartitionKey { events.string($0) }
            events.endMember()
            events.key("sequenceNumber")
            record.withSequenceNumber { events.string($0) }
            events.endMember()
            events.key("data")
            record.withData { data in Base64.withEncoded(data) { events.string($0) } }
            events.endMember()
            events.member("approximateArrivalTimestamp", Document.double(record.arrival.unixSeconds))
            events.endObject()
            events.endMember()
            events.member("eventSource", "aws:kinesis")
            events.member("eventVersion", "1.0")
            events.member("eventID", "\(shardID):\(record.sequenceNumber)")
            events.member("eventName", "aws:kinesis:record")
            events.member("invokeIdentityArn", roleArn)
            events.member("awsRegion", region)
            events.member("eventSourceARN", streamArn)
            events.endObject()
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
        writeRecords(records, into: &events) { record, events in
            StreamRecordWriter(record: record, region: region, viewType: viewType, sourceArn: streamArn).write(into: &events)
        }
    }
}

/// Writes `{"Records": [...]}`, each record by `writeRecord`.
private func writeRecords<R, E: JSONEvents>(_ records: [R], into events: inout E, _ writeRecord: (R, inout E) -> Void) {
    events.beginObject(count: 1)
    events.key("Records")
    events.beginArray()
    for (i, record) in records.enumerated() {
        writeRecord(record, &events)
        events.endElement(i + 1)
    }
    events.endArray()
    events.endMember()
    events.endObject()
}
