import CloudSim
import DocumentModel

/// Scalars that travel as text: REST paths, query strings and headers, and query-protocol
/// forms and XML. The shape says what the text is.
enum ScalarText {
    /// The value of `text` as the account takes a member of shape `shape`.
    /// - Throws: ``WireFault`` when the text is not of the shape's type.
    static func value(_ text: String, _ shape: Shape, name: String, family: ProtocolFamily) throws(WireFault) -> Document {
        switch shape.kind {
        case .string: return .string(text)
        case .integer, .long:
            guard let n = Int64(text) else { throw invalid(name, text, "an integer", family) }
            return .int(n)
        case .double, .float:
            guard let d = Double(text) else { throw invalid(name, text, "a number", family) }
            return .double(d)
        case .boolean:
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw invalid(name, text, "a boolean", family)
            }
        case .timestamp:
            guard let seconds = UnixTimeText.parse(text) ?? Double(text) else { throw invalid(name, text, "a timestamp", family) }
            return .double(seconds)
        case .blob:
            guard let bytes = Base64.decode(text) else { throw invalid(name, text, "base64", family) }
            return .bytes(bytes)
        case .structure, .list, .map:
            throw invalid(name, text, "a scalar", family)
        }
    }

    /// A scalar as text: booleans as `true`/`false`, timestamps in ISO 8601, blobs in base64.
    static func text(_ value: Document, _ shape: Shape) -> String {
        switch (shape.kind, value) {
        case (.timestamp, .double(let d)): return UnixTimeText.iso8601(d)
        case (.timestamp, .int(let n)): return UnixTimeText.iso8601(Double(n))
        case (.blob, _): return Base64.encode(value.bytesValue ?? [])
        case (_, .bool(let b)): return b ? "true" : "false"
        case (_, .int(let n)): return String(n)
        case (_, .double(let d)): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        default: return value.stringValue ?? ""
        }
    }

    private static func invalid(_ name: String, _ text: String, _ what: String, _ family: ProtocolFamily) -> WireFault {
        let shown = text.count > 64 ? String(text.prefix(64)) + "…" : text
        return family == .query
            ? WireFault("InvalidParameterValue", "Value '\(shown)' for parameter \(name) is not \(what).", status: 400)
            : .serialization("Value '\(shown)' of \(name) is not \(what)")
    }
}
