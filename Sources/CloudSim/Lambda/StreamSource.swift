import DocumentModel
import Foundation

/// A stream an event source mapping reads: Kinesis or DynamoDB Streams, behind one face.
protocol StreamSource: AnyObject {
    var arn: String { get }
    var shardCount: Int { get }
    /// The IAM actions the function's role needs to read the stream.
    var readActions: [String] { get }
    /// How often an idle shard is polled.
    var pollInterval: VirtualDuration { get }
    /// Whether the source still exists and is readable.
    var isAvailable: Bool { get }
    func firstIndex(_ shard: Int) -> Int
    func endIndex(_ shard: Int) -> Int
    func partitionKey(_ shard: Int, _ index: Int) -> String
    func arrival(_ shard: Int, _ index: Int) -> VirtualTime
    func sequenceNumber(_ shard: Int, _ index: Int) -> String
    /// The record as a Lambda event record.
    func event(_ shard: Int, _ index: Int) -> Document
    /// Registers how far the mapping has read (to let the source drop records), per shard.
    func readerMoved(_ positions: [Int])
    func close()
}

final class KinesisSource: StreamSource {
    let stream: KinesisStream
    let kinesis: Kinesis
    let roleArn: String
    init(stream: KinesisStream, kinesis: Kinesis, roleArn: String) {
        self.stream = stream
        self.kinesis = kinesis
        self.roleArn = roleArn
    }
    var arn: String { stream.arn }
    var shardCount: Int { stream.shards.count }
    var readActions: [String] { ["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListShards"] }
    var pollInterval: VirtualDuration { .seconds(1) }
    var isAvailable: Bool { kinesis.streams[stream.name] === stream }
    func firstIndex(_ shard: Int) -> Int { stream.shards[shard].firstIndex }
    func endIndex(_ shard: Int) -> Int { stream.shards[shard].endIndex }
    func partitionKey(_ shard: Int, _ index: Int) -> String { stream.shards[shard].record(at: index)?.partitionKey ?? "" }
    func arrival(_ shard: Int, _ index: Int) -> VirtualTime { stream.shards[shard].record(at: index)?.arrival ?? .zero }
    func sequenceNumber(_ shard: Int, _ index: Int) -> String { stream.shards[shard].record(at: index)?.sequenceNumber ?? "" }
    func event(_ shard: Int, _ index: Int) -> Document {
        let s = stream.shards[shard]
        guard let r = s.record(at: index) else { return .null }
        return [
            "kinesis": [
                "kinesisSchemaVersion": "1.0", "partitionKey": .string(r.partitionKey), "sequenceNumber": .string(r.sequenceNumber),
                "data": .string(Data(r.data).base64EncodedString()), "approximateArrivalTimestamp": .double(r.arrival.unixSeconds),
            ],
            "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventID": .string("\(s.shardID):\(r.sequenceNumber)"),
            "eventName": "aws:kinesis:record", "invokeIdentityArn": .string(roleArn), "awsRegion": .string(kinesis.region),
            "eventSourceARN": .string(stream.arn),
        ]
    }
    func readerMoved(_ positions: [Int]) {}
    func close() {}
}

final class DynamoDBStreamSource: StreamSource {
    let stream: TableStream
    let region: String
    let reader: Int
    init(stream: TableStream, region: String, startingAt positions: [Int]) {
        self.stream = stream
        self.region = region
        reader = stream.addReader(startingAt: positions)
    }
    var arn: String { stream.arn }
    var shardCount: Int { stream.shards.count }
    var readActions: [String] {
        ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"]
    }
    var pollInterval: VirtualDuration { .milliseconds(250) }
    var isAvailable: Bool { true }
    func firstIndex(_ shard: Int) -> Int { stream.shards[shard].firstIndex }
    func endIndex(_ shard: Int) -> Int { stream.shards[shard].endIndex }
    func partitionKey(_ shard: Int, _ index: Int) -> String {
        guard let keys = stream.shards[shard].record(at: index)?.keys else { return "" }
        return keys.keys.sorted().map { "\(keys[$0].map { "\($0)" } ?? "")" }.joined(separator: "|")
    }
    func arrival(_ shard: Int, _ index: Int) -> VirtualTime { stream.shards[shard].record(at: index)?.time ?? .zero }
    func sequenceNumber(_ shard: Int, _ index: Int) -> String { stream.shards[shard].record(at: index)?.sequenceNumber ?? "" }
    func event(_ shard: Int, _ index: Int) -> Document {
        guard let r = stream.shards[shard].record(at: index), case .map(var m) = r.document(region: region, viewType: stream.viewType)
        else { return .null }
        m["eventSourceARN"] = .string(stream.arn)
        return .map(m)
    }
    func readerMoved(_ positions: [Int]) {
        for (shard, position) in positions.enumerated() { stream.advanceReader(reader, shard: shard, to: position) }
    }
    func close() { stream.removeReader(reader) }
}
