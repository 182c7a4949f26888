import DequeModule

/// A shard of a stream: an append-only list of records addressed by absolute position
/// (which never changes), trimmed from the front as records expire or readers pass them.
/// DynamoDB Streams and Kinesis shards share it.
public class RecordShard<Record> {
    public let shardID: String
    /// A deque: records leave from the front as they expire, often, and cheaply.
    var records = Deque<Record>()
    /// The position of the oldest record still kept.
    public private(set) var firstIndex = 0

    init(shardID: String) { self.shardID = shardID }

    /// The position one past the last record.
    public var endIndex: Int { firstIndex + records.count }

    /// The record at an absolute position, when still kept.
    public func record(at index: Int) -> Record? {
        let i = index - firstIndex
        return i >= 0 && i < records.count ? records[i] : nil
    }

    /// Records from `index` on, at most `limit`.
    public func records(from index: Int, limit: Int) -> [Record] {
        let start = max(index - firstIndex, 0)
        guard start < records.count else { return [] }
        return Array(records[start..<min(start + limit, records.count)])
    }

    /// Drops every record before position `index`.
    func trim(before index: Int) {
        let count = min(max(index - firstIndex, 0), records.count)
        guard count > 0 else { return }
        records.removeFirst(count)
        firstIndex += count
    }
}
