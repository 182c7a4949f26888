import DocumentModel

/// A lossless JSON form of a ``Document`` for transcripts. Plain JSON cannot tell a whole
/// double from an integer or bytes from text, and a replay must hand the account exactly
/// the request it got live: bytes become `{"$bytes": base64}`, doubles `{"$double": n}`,
/// and a map whose keys could be mistaken for those tags is wrapped as `{"$map": {…}}`.
enum TaggedJSON {
    static func encode(_ value: Document) -> Document {
        switch value {
        case .bytes(let b): return ["$bytes": .string(Base64.encode(b))]
        case .double(let d): return ["$double": .double(d)]
        case .array(let a): return .array(a.map(encode))
        case .map(let m):
            let inner = Document.map(m.mapValues(encode))
            return m.keys.contains(where: { $0.hasPrefix("$") }) ? ["$map": inner] : inner
        case .null, .bool, .int, .string, .callable: return value
        }
    }

    /// - Throws: ``TranscriptError`` for a tag with the wrong content.
    static func decode(_ value: Document) throws(TranscriptError) -> Document {
        switch value {
        case .array(let a):
            var out: [Document] = []
            out.reserveCapacity(a.count)
            for element in a { out.append(try decode(element)) }
            return .array(out)
        case .map(let m):
            if m.count == 1, let (key, inner) = m.first, key.hasPrefix("$") {
                switch key {
                case "$bytes":
                    guard let text = inner.stringValue, let bytes = Base64.decode(text) else { throw TranscriptError("$bytes holds no base64 text") }
                    return .bytes(bytes)
                case "$double":
                    guard let d = inner.doubleValue else { throw TranscriptError("$double holds no number") }
                    return .double(d)
                case "$map":
                    guard case .map(let wrapped) = inner else { throw TranscriptError("$map holds no object") }
                    return try decodeMembers(wrapped)
                default: throw TranscriptError("unknown tag \(key)")
                }
            }
            return try decodeMembers(m)
        default: return value
        }
    }

    private static func decodeMembers(_ m: [String: Document]) throws(TranscriptError) -> Document {
        var out: [String: Document] = [:]
        for (key, member) in m { out[key] = try decode(member) }
        return .map(out)
    }
}
