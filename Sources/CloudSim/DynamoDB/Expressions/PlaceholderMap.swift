import DocumentModel

/// A request's `ExpressionAttributeNames` or `ExpressionAttributeValues`, as expressions
/// look them up: a few keys, found by comparing them (a hashed lookup costs more than
/// comparing a handful of short strings, measured); past `small` keys, by a dictionary, so a
/// request with hundreds of placeholders costs no more per lookup than before.
struct PlaceholderMap<Value> {
    private(set) var entries: [(key: String, value: Value)] = []
    private var index: [String: Int]?
    private static var small: Int { 16 }

    init() {}

    /// Entries read already, with distinct keys (a Lua table's).
    init(entries: [(key: String, value: Value)]) {
        self.entries = entries
        indexIfLarge()
    }

    /// The map's entries in its own order (callers that name keys in errors sort them).
    init(_ map: [String: Value]) {
        entries.reserveCapacity(map.count)
        for (key, value) in map { entries.append((key, value)) }
        indexIfLarge()
    }

    /// `transform` of each entry; of several it refuses, the first by key is thrown.
    init<Source>(_ map: [String: Source], transform: (String, Source) throws(AWSError) -> Value) throws(AWSError) {
        var entries: [(key: String, value: Value)] = []
        entries.reserveCapacity(map.count)
        try map.forEachReportingFirstByKey { (key, source) throws(AWSError) in entries.append((key, try transform(key, source))) }
        self.entries = entries
        indexIfLarge()
    }

    private mutating func indexIfLarge() {
        guard entries.count > Self.small else { return }
        var index: [String: Int] = Dictionary(minimumCapacity: entries.count)
        for (i, entry) in entries.enumerated() { index[entry.key] = i }
        self.index = index
    }

    var count: Int { entries.count }
    var keys: [String] { entries.map(\.key) }

    subscript(key: String) -> Value? {
        if let index { return index[key].map { entries[$0].value } }
        for entry in entries where entry.key == key { return entry.value }
        return nil
    }

    /// Whether every key is one of `allowed`.
    func keys(allIn allowed: [String]) -> Bool {
        entries.allSatisfy { allowed.contains($0.key) }
    }
}

/// A request's placeholder map as it came: a document's map, whose values are checked as
/// they are decoded, or entries read and decoded already (a request read straight from a
/// function's Lua table, see ``TypedRequest``).
enum PlaceholderInput<Value> {
    case document([String: Document])
    case decoded(PlaceholderMap<Value>)

    var isEmpty: Bool {
        switch self {
        case .document(let map): return map.isEmpty
        case .decoded(let map): return map.count == 0
        }
    }
}
