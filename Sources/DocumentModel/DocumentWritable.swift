/// A value that writes itself as a stream of ``JSONEvents``.
///
/// Large values that are built only to be handed on — a Lambda event of a thousand stream
/// records — write themselves straight into their destination (a Lua table, say) instead
/// of being built as a ``Document`` first. ``Document/init(writing:)`` still gives the
/// document when one is needed.
public protocol DocumentWritable {
    func write<E: JSONEvents>(into events: inout E)
}

extension Document: DocumentWritable {
    /// Writes the document's events; callables, which JSON cannot carry, write null.
    public func write<E: JSONEvents>(into events: inout E) {
        switch self {
        case .null, .callable: events.null()
        case .bool(let b): events.bool(b)
        case .int(let i): events.int(i)
        case .double(let d): events.double(d)
        case .string(let s): events.string(s)
        case .bytes(let b): b.withUnsafeBufferPointer { events.bytes($0) }
        case .array(let a):
            events.beginArray()
            for (i, element) in a.enumerated() {
                element.write(into: &events)
                events.endElement(i + 1)
            }
            events.endArray()
        case .map(let m): m.write(into: &events)
        }
    }

    /// The document a writable value writes (a document is itself, not rebuilt).
    public init(writing value: some DocumentWritable) {
        if let document = value as? Document {
            self = document
            return
        }
        var builder = DocumentBuilder()
        value.write(into: &builder)
        self = builder.result
    }
}

/// A map of names to values that write themselves writes an object (documents' maps,
/// DynamoDB items).
extension Dictionary: DocumentWritable where Key == String, Value: DocumentWritable {
    public func write<E: JSONEvents>(into events: inout E) {
        events.beginObject(count: count)
        for (key, value) in self {
            var key = key
            key.withUTF8 { events.key($0) }
            value.write(into: &events)
            events.endMember()
        }
        events.endObject()
    }
}

extension JSONEvents {
    public mutating func bytes(_ bytes: UnsafeBufferPointer<UInt8>) { string(bytes) }
    public mutating func beginObject(count: Int) { beginObject() }

    /// A string value from Swift text.
    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string($0) }
    }

    public mutating func recurring(_ text: String) { string(text) }

    /// A member key from a literal, without making a `String`.
    public mutating func key(_ text: StaticString) {
        key(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    public mutating func string(_ text: StaticString) {
        string(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A whole member whose key and value are both literals.
    public mutating func member(_ key: StaticString, literal value: StaticString) {
        self.key(key)
        string(value)
        endMember()
    }

    /// A whole member: its key and a string value.
    public mutating func member(_ key: StaticString, _ value: String) {
        self.key(key)
        string(value)
        endMember()
    }

    /// A whole member: its key and a string value that recurs through the write (``recurring(_:)``).
    public mutating func member(_ key: StaticString, recurring value: String) {
        self.key(key)
        recurring(value)
        endMember()
    }

    /// A whole member: its key and a value that writes itself.
    public mutating func member(_ key: StaticString, _ value: some DocumentWritable) {
        self.key(key)
        value.write(into: &self)
        endMember()
    }
}
