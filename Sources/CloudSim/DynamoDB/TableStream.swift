import DequeModule
import DocumentModel

/// A change record of a DynamoDB stream.
public struct StreamRecord: Sendable {
    public let eventID: String
    /// `INSERT`, `MODIFY` or `REMOVE`.
    public let eventName: String
    public let sequenceNumber: String
    public let time: VirtualTime
    public let keys: Item
    public let newImage: Item?
    public let oldImage: Item?
    public let sizeBytes: Int
}

/// One shard of a table's stream.
public typealias StreamShard = RecordShard<StreamRecord>

/// A table's stream: its ARN and label, view type, and shards. Each partition key always
/// maps to the same shard, so changes to one item stay in order.
public final class TableStream {
    public let arn: String
    public let label: String
    public let tableName: String
    /// `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`.
    public let viewType: String
    public let shards: [StreamShard]
    public internal(set) var enabled = true
    /// When the stream was created (its label is this time).
    public let created: VirtualTime
    /// When it was disabled: its records stay readable for ``retention`` after that.
    public internal(set) var disabledAt: VirtualTime?
    private var sequence: UInt64 = 1_000_000
    private var random: SeededRandom
    /// How long records are kept.
    public static let retention = VirtualDuration.seconds(24 * 3600)
    /// Read positions of registered readers (event source mappings), per shard.
    var readers: [Int: [Int]] = [:]
    private var nextReader = 0

    init(arn: String, label: String, tableName: String, viewType: String, created: VirtualTime, shardCount: Int, random: SeededRandom) {
        self.arn = arn
        self.created = created
        self.label = label
        self.tableName = tableName
        self.viewType = viewType
        self.random = random
        shards = (0..<max(shardCount, 1)).map { StreamShard(shardID: "shardId-\(String(1_000_000_000 + $0).dropFirst())-\(label.filter(\.isNumber))") }
    }

    /// A disabled stream "will continue to be readable for 24 hours"; then it is gone.
    func readable(at now: VirtualTime) -> Bool {
        guard let disabledAt else { return true }
        return now - disabledAt < Self.retention
    }

    func shardIndex(for partition: AttributeValue) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let bytes: [UInt8]
        switch partition {
        case .s(let s): bytes = Array(s.utf8)
        case .n(let n): bytes = Array(n.description.utf8)
        case .b(let b): bytes = b
        default: bytes = []
        }
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(shards.count))
    }

    /// The fourteen zeros after a record's number in its sequence number.
    private static let sequenceSuffix = String(repeating: "0", count: 14)

    func record(key: Item, partition: AttributeValue, old: Item?, new: Item?, at time: VirtualTime) {
        guard enabled else { return }
        let name = old == nil ? "INSERT" : (new == nil ? "REMOVE" : "MODIFY")
        let keepNew = viewType == "NEW_IMAGE" || viewType == "NEW_AND_OLD_IMAGES"
        let keepOld = viewType == "OLD_IMAGE" || viewType == "NEW_AND_OLD_IMAGES"
        let newImage = keepNew ? new : nil
        let oldImage = keepOld ? old : nil
        sequence += 1
        let size = ItemCodec.size(key) + (newImage.map(ItemCodec.size) ?? 0) + (oldImage.map(ItemCodec.size) ?? 0)
        let record = StreamRecord(
            eventID: random.uuidHex(), eventName: name,
            sequenceNumber: String(sequence) + Self.sequenceSuffix, time: time, keys: key, newImage: newImage,
            oldImage: oldImage, sizeBytes: size)
        let index = shardIndex(for: partition)
        shards[index].records.append(record)
        expire(index, now: time)
    }

    /// Drops records older than the retention, and those every reader has passed.
    func expire(_ index: Int, now: VirtualTime) {
        let shard = shards[index]
        var cut = shard.firstIndex
        while let r = shard.record(at: cut), now - r.time > Self.retention { cut += 1 }
        if !readers.isEmpty {
            // Runs on every write: no temporary array.
            var slowest = Int.max
            for positions in readers.values where positions[index] < slowest { slowest = positions[index] }
            cut = max(cut, slowest)
        }
        shard.trim(before: cut)
    }

    /// Registers a reader whose positions bound how long records are kept.
    public func addReader(startingAt positions: [Int]) -> Int {
        nextReader += 1
        readers[nextReader] = positions
        return nextReader
    }

    /// Moves a reader forward on one shard.
    public func advanceReader(_ reader: Int, shard: Int, to position: Int) {
        readers[reader]?[shard] = position
    }

    public func removeReader(_ reader: Int) { readers[reader] = nil }
}

extension StreamRecord {
    /// The record as GetRecords returns it.
    func document(region: String, viewType: String) -> Document {
        Document(writing: StreamRecordWriter(record: self, region: region, viewType: viewType, sourceArn: nil))
    }
}

/// A stream record in its wire form; Lambda events add the stream's ARN (`eventSourceARN`).
struct StreamRecordWriter: DocumentWritable {
    let record: StreamRecord
    let region: String
    let viewType: String
    let sourceArn: String?

    func write<E: JSONEvents>(into events: inout E) {
        events.beginObject(count: sourceArn == nil ? 6 : 7)
        events.member("eventID", record.eventID)
        events.member("eventName", recurring: record.eventName)
        events.member("eventVersion", literal: "1.1")
        events.member("eventSource", literal: "aws:dynamodb")
        events.member("awsRegion", recurring: region)
        if let sourceArn { events.member("eventSourceARN", recurring: sourceArn) }
        events.key("dynamodb")
        events.beginObject(count: 5 + (record.newImage == nil ? 0 : 1) + (record.oldImage == nil ? 0 : 1))
        events.member("ApproximateCreationDateTime", Document.double(record.time.unixSeconds.rounded(.down)))
        events.member("Keys", ItemWriting(record.keys))
        if let newImage = record.newImage { events.member("NewImage", ItemWriting(newImage)) }
        if let oldImage = record.oldImage { events.member("OldImage", ItemWriting(oldImage)) }
        events.member("SequenceNumber", record.sequenceNumber)
        events.member("SizeBytes", Document.int(Int64(record.sizeBytes)))
        events.member("StreamViewType", recurring: viewType)
        events.endObject()
        events.endMember()
        events.endObject()
    }
}
