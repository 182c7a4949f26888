/// What a ``JSONReader`` reports as it reads: one call per scalar, key and container edge.
/// Documents and Lua values are both built from these events, so there is one parser.
public protocol JSONEvents {
    mutating func null()
    mutating func bool(_ value: Bool)
    /// A number without fraction or exponent that fits 64 bits.
    mutating func int(_ value: Int64)
    mutating func double(_ value: Double)
    /// A string's bytes, unescaped; valid only during the call.
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>)
    /// Binary data (never read from JSON text); by default reported as a string.
    mutating func bytes(_ bytes: UnsafeBufferPointer<UInt8>)
    /// An object member's key; its value's events follow, then ``endMember()``.
    mutating func key(_ bytes: UnsafeBufferPointer<UInt8>)
    /// A key written from a literal. Its text never changes, so a sink may keep what it
    /// made of it (a Lua state its interned string); by default it is ``key(_:)-bytes``.
    mutating func key(_ text: StaticString)
    /// A string value written from a literal, kept like a literal key.
    mutating func string(_ text: StaticString)
    /// A string value that recurs through one write (a batch's region or source ARN, on every
    /// record): a sink may make it once and reuse it; by default it is ``string(_:)-String``.
    mutating func recurring(_ text: String)
    mutating func beginObject()
    /// An object whose number of members is known: lets a sink size it once.
    mutating func beginObject(count: Int)
    mutating func endMember()
    mutating func endObject()
    mutating func beginArray()
    /// After the value of the array's element number `position` (from 1).
    mutating func endElement(_ position: Int)
    mutating func endArray()
}

/// A strict JSON reader over bytes (nesting at most 200 deep).
public struct JSONReader {
    // Inlinable, so that a reader for Lua values (another module's events) is specialized
    // where it is used instead of calling each event through a witness table.
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var index = 0
    @usableFromInline var depth = 0

    /// Reads one JSON value from `bytes`, reporting it to `events`.
    /// - Throws: ``JSONError`` naming the line and column of the first problem.
    @inlinable public static func read<E: JSONEvents>(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout E) throws(JSONError) {
        var reader = JSONReader(bytes: bytes)
        try reader.value(&events)
        reader.skipSpace()
        guard reader.index == bytes.count else { throw reader.fail("unexpected text after the JSON value") }
    }

    @usableFromInline init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Names the place as an editor shows it (line and column, from 1): a learner's policy
    /// is text they wrote, not bytes to count.
    @usableFromInline func fail(_ what: String) -> JSONError {
        var line = 1
        var column = 1
        for byte in bytes[..<Swift.min(index, bytes.count)] {
            if byte == 10 {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONError(description: "invalid JSON at line \(line), column \(column): \(what)")
    }

    @inlinable mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 32, 9, 10, 13: index += 1
            default: return
            }
        }
    }

    @inlinable mutating func value<E: JSONEvents>(_ events: inout E) throws(JSONError) {
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try object(&events)
        case UInt8(ascii: "["): try array(&events)
        case UInt8(ascii: "\""): try string { events.string($0) }
        case UInt8(ascii: "t"):
            try literal("true")
            events.bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            events.bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            events.null()
        default: try number(&events)
        }
    }

    @inlinable mutating func literal(_ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected character") }
        for i in 0..<count where bytes[index + i] != word.utf8Start[i] { throw fail("unexpected character") }
        index += count
    }

    @inlinable mutating func enter() throws(JSONError) {
        depth += 1
        if depth > 200 { throw fail("nesting deeper than 200") }
    }

    /// After a member or element: true for a comma, false for the closing bracket.
    @inlinable mutating func separator(_ close: UInt8) throws(JSONError) -> Bool {
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end") }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            return true
        }
        if bytes[index] == close {
            index += 1
            return false
        }
        throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'")
    }

    /// Whether the container is empty (and then consumes its closing bracket).
    @inlinable mutating func closesAtOnce(_ close: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == close else { return false }
        index += 1
        return true
    }

    @inlinable mutating func object<E: JSONEvents>(_ events: inout E) throws(JSONError) {
        try enter()
        defer { depth -= 1 }
        index += 1
        events.beginObject()
        if !closesAtOnce(UInt8(ascii: "}")) {
            repeat {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                try string { events.key($0) }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                try value(&events)
                events.endMember()
            } while try separator(UInt8(ascii: "}"))
        }
        events.endObject()
    }

    @inlinable mutating func array<E: JSONEvents>(_ events: inout E) throws(JSONError) {
        try enter()
        defer { depth -= 1 }
        index += 1
        events.beginArray()
        if !closesAtOnce(UInt8(ascii: "]")) {
            var position = 0
            repeat {
                try value(&events)
                position += 1
                events.endElement(position)
            } while try separator(UInt8(ascii: "]"))
        }
        events.endArray()
    }

    /// Reads a string and hands its unescaped bytes to `deliver`; text without escapes is
    /// handed over straight from the input.
    @inlinable mutating func string(_ deliver: (UnsafeBufferPointer<UInt8>) -> Void) throws(JSONError) {
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != 92 { index += 1 }
        guard index < bytes.count else { throw fail("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            deliver(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            index += 1
            return
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let c = bytes[index]
            index += 1
            if c == UInt8(ascii: "\"") {
                out.withUnsafeBufferPointer(deliver)
                return
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

    @inlinable mutating func hex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            index += 1
            switch c {
            case 48...57: v = v * 16 + UInt32(c - 48)
            case 97...102: v = v * 16 + UInt32(c - 87)
            case 65...70: v = v * 16 + UInt32(c - 55)
            default: throw fail("bad \\u escape")
            }
        }
        return v
    }

    /// Integers that fit 64 bits stay integers; other numbers are doubles.
    @inlinable mutating func number<E: JSONEvents>(_ events: inout E) throws(JSONError) {
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
        let digits = UnsafeBufferPointer(rebasing: bytes[start..<index])
        switch JSONNumber(digits) {
        case .int(let i): return events.int(i)
        case .double(let d): return events.double(d)
        case nil: break
        }
        let text = String(decoding: digits, as: UTF8.self)
        if !isFloat, let i = Int64(text) {
            events.int(i)
            return
        }
        guard let d = Double(text) else { throw fail("bad number '\(text)'") }
        events.double(d)
    }
}

/// Builds a ``Document`` from reader events.
struct DocumentBuilder: JSONEvents {
    private enum Frame {
        case object([String: Document], key: String)
        case array([Document])
    }

    private var stack: [Frame] = []
    private var last: Document = .null

    var result: Document { last }

    mutating func null() { last = .null }
    mutating func bool(_ value: Bool) { last = .bool(value) }
    mutating func int(_ value: Int64) { last = .int(value) }
    mutating func double(_ value: Double) { last = .double(value) }

    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let s = UTF8Text.string(bytes) { last = .string(s) } else { last = .bytes(Array(bytes)) }
    }

    mutating func bytes(_ bytes: UnsafeBufferPointer<UInt8>) { last = .bytes(Array(bytes)) }

    mutating func key(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard case .object(let members, _)? = stack.popLast() else { return }
        stack.append(.object(members, key: String(decoding: bytes, as: UTF8.self)))
    }

    mutating func beginObject() { stack.append(.object([:], key: "")) }

    mutating func endMember() {
        guard case .object(var members, let key)? = stack.popLast() else { return }
        members[key] = last
        stack.append(.object(members, key: key))
    }

    mutating func endObject() {
        guard case .object(let members, _)? = stack.popLast() else { return }
        last = .map(members)
    }

    mutating func beginArray() { stack.append(.array([])) }

    mutating func endElement(_ position: Int) {
        guard case .array(var elements)? = stack.popLast() else { return }
        elements.append(last)
        stack.append(.array(elements))
    }

    mutating func endArray() {
        guard case .array(let elements)? = stack.popLast() else { return }
        last = .array(elements)
    }
}
