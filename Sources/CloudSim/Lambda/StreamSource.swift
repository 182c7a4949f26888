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
    /// The shard's ID, as an on-failure record names it.
    func shardID(_ shard: Int) -> String
    /// The member of an on-failure record that describes the batch (`KinesisBatchInfo`, `DDBStreamBatchInfo`).
    var batchInfoKey: String { get }
    /// The Lambda event for a batch of the shard's records (`{"Records": [...]}`). The
    /// records are taken now; the event writes itself when the handler starts.
    func event(_ shard: Int, _ indices: [Int]) -> any DocumentWritable
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
    /// What Lambda's creation-time check names: "Please ensure the role can perform the
    /// GetRecords, GetShardIterator, DescribeStream, ListShards, and ListStreams Actions".
    var readActions: [String] {
        ["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListShards", "kinesis:ListStreams"]
    }
    var pollInterval: VirtualDuration { .seconds(1) }
    var isAvailable: Bool { kinesis.streams[stream.name] === stream }
    func firstIndex(_ shard: Int) -> Int { stream.shards[shard].firstIndex }
    func endIndex(_ shard: Int) -> Int { stream.shards[shard].endIndex }
    func partitionKey(_ shard: Int, _ index: Int) -> String { stream.shards[shard].record(at: index)?.partitionKey ?? "" }
    func arrival(_ shard: Int, _ index: Int) -> VirtualTime { stream.shards[shard].record(at: index)?.arrival ?? .zero }
    func sequenceNumber(_ shard: Int, _ index: Int) -> String { stream.shards[shard].record(at: index)?.sequenceNumber ?? "" }
    func shardID(_ shard: Int) -> String { stream.shards[shard].shardID }
    var batchInfoKey: String { "KinesisBatchInfo" }
    func event(_ shard: Int, _ indices: [Int]) -> any DocumentWritable {
        let s = stream.shards[shard]
        return KinesisEvent(
            records: indices.compactMap { s.record(at: $0) }, shardID: s.shardID, roleArn: roleArn, region: kinesis.region,
            streamArn: stream.arn)
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
    func shardID(_ shard: Int) -> String { stream.shards[shard].shardID }
    var batchInfoKey: String { "DDBStreamBatchInfo" }
    func event(_ shard: Int, _ indices: [Int]) -> any DocumentWritable {
        let s = stream.shards[shard]
        return DynamoDBStreamEvent(
            records: indices.compactMap { s.record(at: $0) }, region: region, viewType: stream.viewType, streamArn: stream.arn)
    }
    func readerMoved(_ positions: [Int]) {
        for (shard, position) in positions.enumerated() { stream.advanceReader(reader, shard: shard, to: position) }
    }
    func close() { stream.removeReader(reader) }
}
