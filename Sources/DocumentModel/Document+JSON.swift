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
        var parser = JSONParser(bytes: Array(jsonText.utf8))
        self = try parser.parseDocument()
    }

    /// Parses JSON from raw bytes.
    public init(jsonBytes: [UInt8]) throws(JSONError) {
        var parser = JSONParser(bytes: jsonBytes)
        self = try parser.parseDocument()
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws(JSONError) -> Document {
        let value = try parseValue()
        skipSpace()
        guard index == bytes.count else { throw fail("unexpected text after the JSON value") }
        return value
    }

    func fail(_ what: String) -> JSONError {
        JSONError(description: "invalid JSON at offset \(index): \(what)")
    }

    mutating func skipSpace() {
        while index < bytes.count, [32, 9, 10, 13].contains(bytes[index]) { index += 1 }
    }

    mutating func parseValue() throws(JSONError) -> Document {
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return try parseString()
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try parseNumber()
        }
    }

    mutating func literal(_ word: String, _ value: Document) throws(JSONError) -> Document {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
            throw fail("unexpected character")
        }
        index += w.count
        return value
    }

    mutating func enter() throws(JSONError) {
        depth += 1
        if depth > 200 { throw fail("nesting deeper than 200") }
    }

    mutating func parseObject() throws(JSONError) -> Document {
        try enter()
        defer { depth -= 1 }
        index += 1
        var result: [String: Document] = [:]
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .map(result)
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            guard let key = try parseString().stringValue else { throw fail("bad key") }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            result[key] = try parseValue()
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .map(result)
            }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func parseArray() throws(JSONError) -> Document {
        try enter()
        defer { depth -= 1 }
        index += 1
        var result: [Document] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(result)
        }
        while true {
            result.append(try parseValue())
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(result)
            }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func hex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            index += 1
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 97...102: d = UInt32(c - 87)
            case 65...70: d = UInt32(c - 55)
            default: throw fail("bad \\u escape")
            }
            v = v * 16 + d
        }
        return v
    }

    mutating func parseString() throws(JSONError) -> Document {
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let c = bytes[index]
            index += 1
            if c == UInt8(ascii: "\"") {
                if let s = String(validating: out, as: UTF8.self) { return .string(s) }
                return .bytes(out)
            }
            if c != 92 {
                out.append(c)
                continue
            }
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= bytes.count, bytes[index] == 92,
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    index += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low & 0x3FF)
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: throw fail("bad escape")
            }
        }
        throw fail("unterminated string")
    }

    mutating func parseNumber() throws(JSONError) -> Document {
        let start = index
        var isFloat = false
        while index < bytes.count {
            let c = bytes[index]
            if (48...57).contains(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                index += 1
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                isFloat = true
                index += 1
            } else {
                break
            }
        }
        guard index > start else { throw fail("unexpected character") }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if !isFloat, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else { throw fail("bad number '\(text)'") }
        return .double(d)
    }
}
