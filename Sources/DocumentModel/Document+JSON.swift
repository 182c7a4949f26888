// JSON for documents, written here rather than taken from Foundation: JSONSerialization
// goes through NSNumber (losing integer vs float), cannot sort nested keys cheaply on
// every platform, and is far slower than this on the handler hot path.

/// A JSON text that could not be read or a value that cannot be written as JSON.
public struct JSONError: Error, CustomStringConvertible, Equatable {
    /// What is wrong, with the byte offset for parse errors.
    public let description: String

    public init(description: String) { self.description = description }
}

extension Document {
    /// Encodes as compact JSON with map keys sorted (bytewise), so equal documents give equal text.
    /// - Throws: ``JSONError`` for NaN, infinities and functions.
    public func jsonText() throws(JSONError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        try Document.write(self, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes as indented JSON (two spaces), map keys sorted, for files people read.
    public func prettyJSONText() throws(JSONError) -> String {
        var out: [UInt8] = []
        try Document.writePretty(self, into: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private static func writePretty(_ value: Document, into out: inout [UInt8], indent: Int) throws(JSONError) {
        let pad = { (n: Int) in Array(repeating: UInt8(ascii: " "), count: n * 2) }
        switch value {
        case .array(let a) where !a.isEmpty:
            out.append(contentsOf: Array("[\n".utf8))
            for (i, element) in a.enumerated() {
                out.append(contentsOf: pad(indent + 1))
                try writePretty(element, into: &out, indent: indent + 1)
                out.append(contentsOf: Array((i + 1 < a.count ? ",\n" : "\n").utf8))
            }
            out.append(contentsOf: pad(indent))
            out.append(UInt8(ascii: "]"))
        case .map(let m) where !m.isEmpty:
            out.append(contentsOf: Array("{\n".utf8))
            let keys = m.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            for (i, key) in keys.enumerated() {
                out.append(contentsOf: pad(indent + 1))
                writeString(Array(key.utf8), into: &out)
                out.append(contentsOf: Array(": ".utf8))
                try writePretty(m[key] ?? .null, into: &out, indent: indent + 1)
                out.append(contentsOf: Array((i + 1 < keys.count ? ",\n" : "\n").utf8))
            }
            out.append(contentsOf: pad(indent))
            out.append(UInt8(ascii: "}"))
        default:
            try write(value, into: &out)
        }
    }

    private static func write(_ value: Document, into out: inout [UInt8]) throws(JSONError) {
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .int(let i): out.append(contentsOf: Array(String(i).utf8))
        case .double(let d):
            guard d.isFinite else { throw JSONError(description: "cannot encode \(d) as JSON") }
            if d == d.rounded(), abs(d) < 1e15 {
                out.append(contentsOf: Array(String(Int64(d)).utf8))
            } else {
                out.append(contentsOf: Array(String(d).utf8))
            }
        case .string(let s): writeString(Array(s.utf8), into: &out)
        case .bytes(let b): writeString(b, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .map(let m):
            if m.isEmpty {
                out.append(contentsOf: Array("{}".utf8))
                return
            }
            out.append(UInt8(ascii: "{"))
            for (i, key) in m.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(Array(key.utf8), into: &out)
                out.append(UInt8(ascii: ":"))
                try write(m[key] ?? .null, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .callable: throw JSONError(description: "cannot encode a function as JSON")
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ bytes: [UInt8], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<32:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 15)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Parses JSON text. Integers that fit in 64 bits stay integers; other numbers are doubles.
    /// - Throws: ``JSONError`` naming the offset of the first problem.
    public init(jsonText: String) throws(JSONError) {
        try self.init(jsonBytes: Array(jsonText.utf8))
    }

    /// Parses JSON from raw bytes.
    public init(jsonBytes: [UInt8]) throws(JSONError) {
        var builder = DocumentBuilder()
        try jsonBytes.withUnsafeBufferPointer { (bytes) throws(JSONError) in try JSONReader.read(bytes, into: &builder) }
        self = builder.result
    }
}
