import CloudSim
import DocumentModel

/// Converts between the account's documents and a JSON protocol's values, guided by the
/// operation's shapes: blobs travel as base64 and timestamps as epoch seconds
/// (botocore's `serialize.py` and `parsers.py` write and read them so).
struct ShapeCodec {
    let model: ServiceModel

    /// A request body's value as the account takes it: base64 blobs become bytes, ISO
    /// timestamps become epoch seconds, and members the model does not have are dropped
    /// (AWS's JSON services ignore them).
    /// - Throws: ``WireFault`` `SerializationException` for a value of the wrong JSON type.
    func decode(_ value: Document, _ id: ShapeID, path: String) throws(WireFault) -> Document {
        let shape = model.shape(id)
        switch shape.kind {
        case .structure:
            guard case .map(let fields) = value else { throw mismatch(path, "a structure") }
            var out: [String: Document] = [:]
            try fields.forEachReportingFirstByKey { (name, field) throws(WireFault) in
                guard let member = shape.member(name), !field.isNull else { return }
                out[name] = try decode(field, member.shape, path: "\(path).\(name)")
            }
            return .map(out)
        case .list:
            guard case .array(let items) = value, let element = shape.element else { throw mismatch(path, "a list") }
            var out: [Document] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() { out.append(try decode(item, element, path: "\(path)[\(i)]")) }
            return .array(out)
        case .map:
            guard case .map(let entries) = value, let valueShape = shape.value else { throw mismatch(path, "a map") }
            var out: [String: Document] = [:]
            for (key, entry) in entries { out[key] = try decode(entry, valueShape, path: "\(path).\(key)") }
            return .map(out)
        case .blob:
            guard let text = value.stringValue else { throw mismatch(path, "base64 text") }
            guard let bytes = Base64.decode(text) else {
                throw WireFault.serialization("Base64 encoded value at '\(path)' is invalid")
            }
            return .bytes(bytes)
        case .timestamp:
            switch value {
            case .int, .double: return value
            case .string(let text):
                if let seconds = UnixTimeText.parse(text) ?? Double(text) { return .double(seconds) }
                throw WireFault.serialization("Timestamp at '\(path)' must be epoch seconds or ISO 8601")
            default: throw mismatch(path, "a timestamp")
            }
        case .string:
            guard value.stringValue != nil else { throw mismatch(path, "a string") }
            return value
        case .boolean:
            guard case .bool = value else { throw mismatch(path, "a boolean") }
            return value
        case .integer, .long, .double, .float:
            switch value {
            case .int, .double: return value
            default: throw mismatch(path, "a number")
            }
        }
    }

    /// A response value as the JSON protocols write it: blobs as base64, and only the
    /// members the model has (an unmodelled member is reported to `unmodelled`).
    func encode(_ value: Document, _ id: ShapeID, path: String, unmodelled: inout [String]) -> Document {
        let shape = model.shape(id)
        switch shape.kind {
        case .structure:
            guard case .map(let fields) = value else { return value }
            var out: [String: Document] = [:]
            for (name, field) in fields {
                guard let member = shape.member(name) else {
                    unmodelled.append("\(path).\(name)")
                    continue
                }
                if member.location != nil { continue }
                out[name] = encode(field, member.shape, path: "\(path).\(name)", unmodelled: &unmodelled)
            }
            return .map(out)
        case .list:
            guard case .array(let items) = value, let element = shape.element else { return value }
            return .array(items.enumerated().map { encode($1, element, path: "\(path)[\($0)]", unmodelled: &unmodelled) })
        case .map:
            guard case .map(let entries) = value, let valueShape = shape.value else { return value }
            var out: [String: Document] = [:]
            for (key, entry) in entries { out[key] = encode(entry, valueShape, path: "\(path).\(key)", unmodelled: &unmodelled) }
            return .map(out)
        case .blob:
            return value.bytesValue.map { .string(Base64.encode($0)) } ?? value
        case .string:
            if case .bytes(let b) = value { return .string(String(decoding: b, as: UTF8.self)) }
            return value
        default:
            return value
        }
    }

    private func mismatch(_ path: String, _ expected: String) -> WireFault {
        .serialization("Value at '\(path)' must be \(expected)")
    }
}

