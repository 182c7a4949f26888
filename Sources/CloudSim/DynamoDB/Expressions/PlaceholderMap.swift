/// A request's `ExpressionAttributeNames` or `ExpressionAttributeValues`, as expressions
/// look them up: a few keys, found by comparing them (a hashed lookup costs more than
/// comparing a handful of short strings, measured); past `small` keys, by a dictionary, so a
/// request with hundreds of placeholders costs no more per lookup than before.
struct PlaceholderMap<Value> {
    private(set) var entries: [(key: String, value: Value)] = []
    private var index: [String: Int]?
    private static var small: Int { 16 }

    init() {}

    /// The map's entries in its own order (callers that name keys in errors sort them).
    init(_ map: [String: Value]) {
        entries.reserveCapacity(map.count)
        for (key, value) in map { entries.append((key, value)) }
        indexIfLarge()
    }

    /// `transform` of each entry, in the order of `map`'s keys sorted, so the first to throw
    /// is the same in every process (a dictionary's order is not).
    init<Source>(_ map: [String: Source], transform: (String, Source) throws(AWSError) -> Value) throws(AWSError) {
        entries.reserveCapacity(map.count)
        do {
            for (key, source) in map { entries.append((key, try transform(key, source))) }
        } catch {
            entries.removeAll()
            for (key, source) in map.sorted(by: { $0.key < $1.key }) { entries.append((key, try transform(key, source))) }
        }
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
