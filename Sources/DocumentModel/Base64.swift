/// Standard base64 (RFC 4648, with padding), on raw bytes: Kinesis data crosses into every
/// Lambda event as base64, so neither direction builds `Data` or a `String` on the way.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 255, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// The length of the encoding of `count` bytes.
    public static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Encodes `bytes` and hands the text to `body` (valid only during the call).
    public static func withEncoded<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(encodedCount(bytes.count), 1)) { out in
            // The alphabet is borrowed once: a global array read per character costs its
            // lazy-initialisation check and a retain each time.
            let o = alphabet.withUnsafeBufferPointer { alphabet in
                var o = 0
                var i = 0
                while i + 3 <= bytes.count {
                    let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                    out[o] = alphabet[Int(v >> 18)]
                    out[o + 1] = alphabet[Int(v >> 12 & 63)]
                    out[o + 2] = alphabet[Int(v >> 6 & 63)]
                    out[o + 3] = alphabet[Int(v & 63)]
                    i += 3
                    o += 4
                }
                let rest = bytes.count - i
                if rest > 0 {
                    let v = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
                    out[o] = alphabet[Int(v >> 18)]
                    out[o + 1] = alphabet[Int(v >> 12 & 63)]
                    out[o + 2] = rest == 2 ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "=")
                    out[o + 3] = UInt8(ascii: "=")
                    o += 4
                }
                return o
            }
            return body(UnsafeBufferPointer(rebasing: out[..<o]))
        }
    }

    /// The encoding of `bytes` as text.
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { withEncoded($0) { String(decoding: $0, as: UTF8.self) } }
    }

    /// The bytes of base64 text, or nil when it is not base64.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    /// The decoded bytes, or nil when the text is not valid base64.
    public static func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        var count = text.count
        guard count % 4 == 0 else { return nil }
        var padding = 0
        while padding < 2, count > 0, text[count - 1] == UInt8(ascii: "=") {
            count -= 1
            padding += 1
        }
        // Four characters make three bytes; a padded end has two or three characters.
        let quads = count / 4
        let rest = count % 4
        var valid = true
        let out = [UInt8](unsafeUninitializedCapacity: quads * 3 + max(rest - 1, 0)) { out, written in
            written = table.withUnsafeBufferPointer { table in
                // A character outside the alphabet maps to 255: its high bit marks it.
                func value(_ i: Int) -> UInt32 { UInt32(table[Int(text[i])]) }
                var o = 0
                var i = 0
                for _ in 0..<quads {
                    let a = value(i), b = value(i + 1), c = value(i + 2), d = value(i + 3)
                    guard (a | b | c | d) & 0x80 == 0 else {
                        valid = false
                        return o
                    }
                    let v = a << 18 | b << 12 | c << 6 | d
                    out[o] = UInt8(truncatingIfNeeded: v >> 16)
                    out[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    out[o + 2] = UInt8(truncatingIfNeeded: v)
                    i += 4
                    o += 3
                }
                if rest >= 2 {
                    let a = value(i), b = value(i + 1), c = rest == 3 ? value(i + 2) : 0
                    guard (a | b | c) & 0x80 == 0 else {
                        valid = false
                        return o
                    }
                    let v = a << 18 | b << 12 | c << 6
                    out[o] = UInt8(truncatingIfNeeded: v >> 16)
                    o += 1
                    if rest == 3 {
                        out[o] = UInt8(truncatingIfNeeded: v >> 8)
                        o += 1
                    }
                }
                return o
            }
        }
        return valid ? out : nil
    }
}
