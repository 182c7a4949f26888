import DocumentModel

/// One DynamoDB attribute value, with every type DynamoDB has.
///
/// Sets are kept sorted and without duplicates, so equal sets compare and print equal.
public indirect enum AttributeValue: Hashable, Sendable {
    case s(String)
    case n(DynamoNumber)
    case b([UInt8])
    case bool(Bool)
    case null
    case m([String: AttributeValue])
    case l([AttributeValue])
    case ss([String])
    case ns([DynamoNumber])
    case bs([[UInt8]])

    /// The type's descriptor as DynamoDB writes it (`S`, `N`, `SS`, …).
    public var typeName: String {
        switch self {
        case .s: return "S"
        case .n: return "N"
        case .b: return "B"
        case .bool: return "BOOL"
        case .null: return "NULL"
        case .m: return "M"
        case .l: return "L"
        case .ss: return "SS"
        case .ns: return "NS"
        case .bs: return "BS"
        }
    }

    /// Approximate stored size in bytes, as DynamoDB counts item size.
    public var size: Int {
        switch self {
        case .s(let s): return s.utf8.count
        case .n: return 21
        case .b(let b): return b.count
        case .bool, .null: return 1
        case .m(let m): return 3 + m.reduce(0) { $0 + $1.key.utf8.count + $1.value.size + 1 }
        case .l(let l): return 3 + l.reduce(0) { $0 + $1.size + 1 }
        case .ss(let v): return v.reduce(0) { $0 + $1.utf8.count }
        case .ns(let v): return 21 * v.count
        case .bs(let v): return v.reduce(0) { $0 + $1.count }
        }
    }
}

/// An item: attribute names to values.
public typealias Item = [String: AttributeValue]

extension AttributeValue {
    /// Reads the typed wire form (`{S = "x"}`, `{N = "1.5"}`, `{L = {…}}`).
    /// - Parameter path: where the value sits in the request, for error messages.
    /// - Throws: ``AWSError`` ValidationException for any malformed value.
    /// - Parameter path: evaluated only for error messages (requests are converted on every call).
    public init(document: Document, path: @autoclosure () -> String) throws(AWSError) {
        guard case .map(let m) = document, m.count == 1, let (type, value) = m.first else {
            throw AWSError.validation(
                "Supplied AttributeValue is empty or has more than one type: \(path()) must be a table with exactly one of S, N, B, BOOL, NULL, M, L, SS, NS, BS")
        }
        func text() throws(AWSError) -> String {
            guard let s = value.stringValue else {
                throw AWSError.validation("Invalid type for parameter \(path()).\(type), value: \(value.kindName), type: expected string")
            }
            return s
        }
        func list() throws(AWSError) -> [Document] {
            guard let a = value.arrayValue else {
                throw AWSError.validation("Invalid type for parameter \(path()).\(type), value: \(value.kindName), type: expected list")
            }
            if type.count == 2, a.isEmpty {
                throw AWSError.validation("One or more parameter values were invalid: An \(type) may not be empty")
            }
            return a
        }
        switch type {
        case "S": self = .s(try text())
        case "N": self = .n(try DynamoNumber(try text()))
        case "B":
            guard let bytes = value.bytesValue else {
                throw AWSError.validation("Invalid type for parameter \(path()).B, value: \(value.kindName), type: expected bytes")
            }
            self = .b(bytes)
        case "BOOL":
            guard case .bool(let b) = value else {
                throw AWSError.validation("Invalid type for parameter \(path()).BOOL, value: \(value.kindName), type: expected boolean")
            }
            self = .bool(b)
        case "NULL":
            guard case .bool(true) = value else {
                throw AWSError.validation("One or more parameter values were invalid: Null attribute value types must have the value of true")
            }
            self = .null
        case "M":
            guard let entries = value.mapValue else {
                throw AWSError.validation("Invalid type for parameter \(path()).M, value: \(value.kindName), type: expected map")
            }
            var result: [String: AttributeValue] = Dictionary(minimumCapacity: entries.count)
            try entries.forEachReportingFirstByKey { (k, v) throws(AWSError) in
                result[k] = try AttributeValue(document: v, path: "\(path()).M.\(k)")
            }
            self = .m(result)
        case "L":
            var result: [AttributeValue] = []
            for (i, v) in try list().enumerated() { result.append(try AttributeValue(document: v, path: "\(path()).L[\(i)]")) }
            self = .l(result)
        case "SS":
            let strings = try list().map { (d: Document) throws(AWSError) -> String in
                guard let s = d.stringValue else { throw AWSError.validation("Invalid type in \(path()).SS: expected strings") }
                return s
            }
            self = .ss(try Self.uniqueSorted(strings, by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }))
        case "NS":
            let numbers = try list().map { (d: Document) throws(AWSError) -> DynamoNumber in
                guard let s = d.stringValue else { throw AWSError.validation("Invalid type in \(path()).NS: expected number strings") }
                return try DynamoNumber(s)
            }
            self = .ns(try Self.uniqueSorted(numbers, by: <))
        case "BS":
            let blobs = try list().map { (d: Document) throws(AWSError) -> [UInt8] in
                guard let b = d.bytesValue else { throw AWSError.validation("Invalid type in \(path()).BS: expected bytes") }
                return b
            }
            self = .bs(try Self.uniqueSorted(blobs, by: { $0.lexicographicallyPrecedes($1) }))
        default:
            throw AWSError.validation("Unknown attribute value type '\(type)' at \(path()): use S, N, B, BOOL, NULL, M, L, SS, NS or BS")
        }
    }

    static func uniqueSorted<T: Equatable>(_ values: [T], by less: (T, T) -> Bool) throws(AWSError) -> [T] {
        let sorted = values.sorted(by: less)
        for i in sorted.indices.dropFirst() where sorted[i] == sorted[i - 1] {
            throw AWSError.validation("One or more parameter values were invalid: Input collection contains duplicates")
        }
        return sorted
    }

    /// The typed wire form, as responses carry it.
    public var document: Document { Document(writing: self) }
}

extension AttributeValue: DocumentWritable {
    /// Writes the typed wire form (`{"S": "x"}`, `{"N": "1.5"}`, `{"L": [...]}`).
    public func write<E: JSONEvents>(into events: inout E) {
        events.beginObject(count: 1)
        switch self {
        case .s(let s): events.member("S", s)
        case .n(let n): events.member("N", n.description)
        case .b(let b):
            events.key("B")
            b.withUnsafeBufferPointer { events.bytes($0) }
            events.endMember()
        case .bool(let b): events.member("BOOL", Document.bool(b))
        case .null: events.member("NULL", Document.bool(true))
        case .m(let m): events.member("M", ItemWriting(m))
        case .l(let l):
            events.key("L")
            events.beginArray()
            for (i, value) in l.enumerated() {
                value.write(into: &events)
                events.endElement(i + 1)
            }
            events.endArray()
            events.endMember()
        case .ss(let v): events.member("SS", Document.array(v.map { .string($0) }))
        case .ns(let v): events.member("NS", Document.array(v.map { .string($0.description) }))
        case .bs(let v): events.member("BS", Document.array(v.map { .bytes($0) }))
        }
        events.endObject()
    }
}

/// Items in and out of their wire form.
enum ItemCodec {
    static func item(_ document: Document, path: @autoclosure () -> String) throws(AWSError) -> Item {
        guard let map = document.mapValue else {
            throw AWSError.validation("Invalid type for parameter \(path()), value: \(document.kindName), type: expected map")
        }
        var item = Item(minimumCapacity: map.count)
        try map.forEachReportingFirstByKey { (name, value) throws(AWSError) in
            if name.isEmpty { throw AWSError.validation("One or more parameter values were invalid: An attribute name in \(path()) is empty") }
            item[name] = try AttributeValue(document: value, path: "\(path()).\(name)")
        }
        return item
    }

    static func document(_ item: Item) -> Document { Document(writing: item) }

    static func size(_ item: Item) -> Int { item.reduce(0) { $0 + $1.key.utf8.count + $1.value.size } }
}

extension AttributeValue {
    /// Ordering of key values and comparison operands of one type: numbers numerically,
    /// strings and binaries by bytes. Nil for values of different types or unordered types.
    static func compare(_ a: AttributeValue, _ b: AttributeValue) -> Int? {
        switch (a, b) {
        case let (.n(x), .n(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.s(x), .s(y)):
            if x == y { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        case let (.b(x), .b(y)):
            if x == y { return 0 }
            return x.lexicographicallyPrecedes(y) ? -1 : 1
        default: return nil
        }
    }
}
