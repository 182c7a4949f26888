import DocumentModel

/// An item's primary key: partition key value and optional sort key value.
public struct PrimaryKey: Hashable, Sendable {
    public let partition: AttributeValue
    public let sort: AttributeValue?

    /// Key order: partition, then sort key, by DynamoDB's ordering of S, N and B.
    static func ordered(_ a: PrimaryKey, _ b: PrimaryKey) -> Bool {
        let first = AttributeValue.compare(a.partition, b.partition) ?? 0
        if first != 0 { return first < 0 }
        guard let x = a.sort, let y = b.sort else { return false }
        return (AttributeValue.compare(x, y) ?? 0) < 0
    }
}

/// One key attribute of a table.
public struct KeyAttribute: Sendable {
    public let name: String
    /// `S`, `N` or `B`.
    public let type: String
}

/// A table: its key schema, items and stream.
public final class Table {
    public let name: String
    public let arn: String
    public let partitionKey: KeyAttribute
    public let sortKey: KeyAttribute?
    public let attributeDefinitions: [KeyAttribute]
    public let creationTime: VirtualTime
    public let billingMode: String
    var items: [PrimaryKey: Item] = [:]
    public internal(set) var stream: TableStream?
    /// Streams that were replaced or disabled, still readable until their records expire.
    var formerStreams: [TableStream] = []
    private var orderedKeys: [PrimaryKey]?

    init(
        name: String, arn: String, partitionKey: KeyAttribute, sortKey: KeyAttribute?, definitions: [KeyAttribute],
        creationTime: VirtualTime, billingMode: String
    ) {
        self.name = name
        self.arn = arn
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.attributeDefinitions = definitions
        self.creationTime = creationTime
        self.billingMode = billingMode
    }

    /// Number of items now.
    public var itemCount: Int { items.count }

    /// Names of the key attributes.
    var keyNames: [String] { [partitionKey.name] + (sortKey.map { [$0.name] } ?? []) }

    /// The items in key order (cached until the key set changes).
    func keysInOrder() -> [PrimaryKey] {
        if let orderedKeys { return orderedKeys }
        let sorted = items.keys.sorted(by: PrimaryKey.ordered)
        orderedKeys = sorted
        return sorted
    }

    /// Reads the primary key out of a `Key` parameter or an item, checking names and types.
    /// - Parameter exact: true for a `Key` parameter, which must hold only the key attributes.
    func primaryKey(of item: Item, exact: Bool) throws(AWSError) -> PrimaryKey {
        if exact, item.count != keyNames.count {
            throw AWSError.validation("The provided key element does not match the schema")
        }
        let partition = try keyValue(partitionKey, in: item)
        let sort = try sortKey.map { key throws(AWSError) in try keyValue(key, in: item) }
        return PrimaryKey(partition: partition, sort: sort)
    }

    private func keyValue(_ key: KeyAttribute, in item: Item) throws(AWSError) -> AttributeValue {
        guard let value = item[key.name] else {
            throw AWSError.validation(
                "One or more parameter values were invalid: Missing the key \(key.name) in the item")
        }
        guard value.typeName == key.type else {
            throw AWSError.validation(
                "One or more parameter values were invalid: Type mismatch for key \(key.name) expected: \(key.type) actual: \(value.typeName)")
        }
        let empty: Bool
        switch value {
        case .s(let s): empty = s.isEmpty
        case .b(let b): empty = b.isEmpty
        default: empty = false
        }
        if empty {
            throw AWSError.validation(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty \(key.type == "S" ? "string" : "binary") value. Key: \(key.name)")
        }
        return value
    }

    /// The key attributes of an item, as an item.
    func keyItem(_ key: PrimaryKey) -> Item {
        var item: Item = [partitionKey.name: key.partition]
        if let sortKey, let sort = key.sort { item[sortKey.name] = sort }
        return item
    }

    /// Writes or deletes one item and records the change on the stream if it really changed.
    /// - Returns: the old item.
    @discardableResult
    func write(_ key: PrimaryKey, _ newItem: Item?, at time: VirtualTime) -> Item? {
        let old = items[key]
        if old == nil && newItem == nil { return nil }
        if let old, let newItem, old == newItem { return old }
        if (old == nil) != (newItem == nil) { orderedKeys = nil }
        items[key] = newItem
        stream?.record(key: keyItem(key), partition: key.partition, old: old, new: newItem, at: time)
        return old
    }
}
