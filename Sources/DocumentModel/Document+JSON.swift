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
                var key = key
                key.withUTF8 { writeString($0, into: &out) }
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

    // Runs for every `json.encode` in function code: scalars and keys are appended in place,
    // and a map's entries are sorted once rather than its keys sorted and looked up again.
    private static func write(_ value: Document, into out: inout [UInt8]) throws(JSONError) {
        switch value {
        case .null: append("null", to: &out)
        case .bool(let b): append(b ? "true" : "false", to: &out)
        case .int(let i): writeInteger(i, into: &out)
        case .double(let d):
            guard d.isFinite else { throw JSONError(description: "cannot encode \(d) as JSON") }
            if d == d.rounded(), abs(d) < 1e15 {
                writeInteger(Int64(d), into: &out)
            } else {
                out.append(contentsOf: String(d).utf8)
            }
        case .string(var s): s.withUTF8 { writeString($0, into: &out) }
        case .bytes(let b): b.withUnsafeBufferPointer { writeString($0, into: &out) }
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .map(let m):
            if m.isEmpty {
                append("{}", to: &out)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (i, entry) in m.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                var key = entry.key
                key.withUTF8 { writeString($0, into: &out) }
                out.append(UInt8(ascii: ":"))
                try write(entry.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .callable: throw JSONError(description: "cannot encode a function as JSON")
        }
    }

    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// The decimal digits of `value`, as `String(value)` writes them.
    private static func writeInteger(_ value: Int64, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so Int64.min has one too.
        var magnitude = value.magnitude
        // Room for the 20 digits of the largest magnitude, written from the end.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let count = withUnsafeMutableBytes(of: &digits) { buffer -> Int in
            var n = 0
            repeat {
                buffer[23 - n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            } while magnitude > 0
            return n
        }
        withUnsafeBytes(of: &digits) { out.append(contentsOf: $0[(24 - count)...]) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Runs of bytes that need no escape are copied whole.
        var start = 0
        for (i, byte) in bytes.enumerated() where byte < 32 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
            start = i + 1
            out.append(92)
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
            case 10: out.append(UInt8(ascii: "n"))
            case 13: out.append(UInt8(ascii: "r"))
            case 9: out.append(UInt8(ascii: "t"))
            default:
                append("u00", to: &out)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 15)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
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
