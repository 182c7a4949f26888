import DequeModule
import DocumentModel

/// A data record in a Kinesis shard. A stream keeps every record for its retention period
/// (24 hours), so a record is kept small: its sequence number is computed from its shard and
/// its number there, and its partition key shares one buffer with its data.
public struct KinesisRecord: Sendable {
    /// The partition key's UTF-8 bytes, then the data.
    private let payload: [UInt8]
    private let keyLength: Int32
    private let shard: Int32
    /// The record's number in its shard, from 1.
    let number: UInt64
    public let arrival: VirtualTime

    init(shard: Int, number: UInt64, partitionKey: String, data: [UInt8], arrival: VirtualTime) {
        var payload = Array(partitionKey.utf8)
        keyLength = Int32(payload.count)
        payload.append(contentsOf: data)
        self.payload = payload
        self.shard = Int32(shard)
        self.number = number
        self.arrival = arrival
    }

    public var partitionKey: String { String(decoding: payload[..<Int(keyLength)], as: UTF8.self) }
    public var data: [UInt8] { Array(payload[Int(keyLength)...]) }
    public var sequenceNumber: String { withSequenceNumber { String(decoding: $0, as: UTF8.self) } }

    /// The partition key's UTF-8 bytes, without a copy.
    func withPartitionKey<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        payload.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[..<Int(keyLength)])) }
    }

    /// Writes the partition key as the member `key` of the object being written (events,
    /// GetRecords' records).
    func writePartitionKey<E: JSONEvents>(as key: StaticString, into events: inout E) {
        events.key(key)
        withPartitionKey { events.string($0) }
        events.endMember()
    }

    /// Writes the sequence number as the member `key`, from digits on the stack.
    func writeSequenceNumber<E: JSONEvents>(as key: StaticString, into events: inout E) {
        events.key(key)
        withSequenceNumber { events.string($0) }
        events.endMember()
    }

    /// The data, without a copy.
    func withData<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        payload.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(keyLength)...])) }
    }

    /// Sequence numbers are fixed-width, so text order is numeric order: "4959", the shard's
    /// index in 6 digits, the record's number in 19.
    static let sequenceLength = 29

    /// The sequence number's ASCII digits, written on the stack.
    func withSequenceNumber<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.sequenceLength) { digits in
            // Plain stores and countdown loops: iterating "4959".utf8 went through the
            // string's generic iterator (a third of this function's cost, measured).
            digits[0] = UInt8(ascii: "4")
            digits[1] = UInt8(ascii: "9")
            digits[2] = UInt8(ascii: "5")
            digits[3] = UInt8(ascii: "9")
            var value = UInt64(truncatingIfNeeded: shard)
            var i = 9
            while i >= 4 {
                digits[i] = UInt8(truncatingIfNeeded: value % 10) &+ UInt8(ascii: "0")
                value /= 10
                i -= 1
            }
            value = number
            i = Self.sequenceLength - 1
            while i >= 10 {
                digits[i] = UInt8(truncatingIfNeeded: value % 10) &+ UInt8(ascii: "0")
                value /= 10
                i -= 1
            }
            return body(UnsafeBufferPointer(digits))
        }
    }

    /// The shard index and record number a sequence number names, when it is one of ours.
    static func parse(_ sequence: String) -> (shard: Int, number: UInt64)? {
        let digits = Array(sequence.utf8)
        guard digits.count == sequenceLength, digits.starts(with: "4959".utf8),
            digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        let value = { (range: Range<Int>) in digits[range].reduce(UInt64(0)) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) } }
        return (Int(value(4..<10)), value(10..<sequenceLength))
    }
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

    /// Sequence numbers grow per shard: the record's number is one more than the last's.
    func append(partitionKey: String, data: [UInt8], at time: VirtualTime) -> KinesisRecord {
        counter += 1
        let record = KinesisRecord(shard: index, number: counter, partitionKey: partitionKey, data: data, arrival: time)
        records.append(record)
        return record
    }

    func expire(before time: VirtualTime) {
        var count = 0
        while count < records.count, records[count].arrival < time { count += 1 }
        trim(before: firstIndex + count)
    }

    /// The position of the record whose sequence number is `sequence`, while it is kept.
    func position(of sequence: String) -> Int? {
        // Record number n is the n-th appended, at position n - 1.
        guard let (shard, number) = KinesisRecord.parse(sequence), shard == index, number >= 1, number <= UInt64(Int.max) else { return nil }
        let position = Int(number - 1)
        return position >= firstIndex && position < endIndex ? position : nil
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
