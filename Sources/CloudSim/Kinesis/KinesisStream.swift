import DequeModule
import DocumentModel

/// A data record in a Kinesis shard.
public struct KinesisRecord: Sendable {
    public let sequenceNumber: String
    public let partitionKey: String
    public let data: [UInt8]
    public let arrival: VirtualTime
}

/// One shard: a hash-key range and its records in arrival order.
public final class KinesisShard: RecordShard<KinesisRecord> {
    public let startingHashKey: UInt128
    public let endingHashKey: UInt128
    let index: Int
    private var counter: UInt64 = 0

    init(index: Int, start: UInt128, end: UInt128) {
        self.index = index
        startingHashKey = start
        endingHashKey = end
        super.init(shardID: "shardId-" + String(String(1_000_000_000_000 + index).dropFirst()))
    }

    /// Sequence numbers are fixed-width, so text order is numeric order, and grow per shard.
    func append(partitionKey: String, data: [UInt8], at time: VirtualTime) -> KinesisRecord {
        counter += 1
        let sequence = "4959" + String(String(1_000_000 + index).dropFirst()) + String(String(UInt64(1_000_000_000_000_000_000) + counter).dropFirst())
        let record = KinesisRecord(sequenceNumber: sequence, partitionKey: partitionKey, data: data, arrival: time)
        records.append(record)
        return record
    }

    func expire(before time: VirtualTime) {
        var count = 0
        while count < records.count, records[count].arrival < time { count += 1 }
        trim(before: firstIndex + count)
    }

    /// The position of the first record whose sequence number is at least `sequence`.
    func position(of sequence: String) -> Int? {
        var low = 0
        var high = records.count
        while low < high {
            let mid = (low + high) / 2
            if records[mid].sequenceNumber < sequence { low = mid + 1 } else { high = mid }
        }
        return low < records.count && records[low].sequenceNumber == sequence ? firstIndex + low : nil
    }
}

/// A Kinesis data stream: shards that split the 128-bit hash-key space evenly.
public final class KinesisStream {
    public let name: String
    public let arn: String
    public let shards: [KinesisShard]
    public internal(set) var retentionHours = 24
    public let creationTime: VirtualTime

    init(name: String, arn: String, shardCount: Int, creationTime: VirtualTime) {
        self.name = name
        self.arn = arn
        self.creationTime = creationTime
        let width = UInt128.max / UInt128(shardCount)
        shards = (0..<shardCount).map { i in
            let start = width * UInt128(i)
            let end = i == shardCount - 1 ? UInt128.max : start + width - 1
            return KinesisShard(index: i, start: start, end: end)
        }
    }

    /// The shard whose hash-key range holds `hashKey`.
    func shard(for hashKey: UInt128) -> KinesisShard {
        var low = 0
        var high = shards.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if shards[mid].startingHashKey <= hashKey { low = mid } else { high = mid - 1 }
        }
        return shards[low]
    }
}
