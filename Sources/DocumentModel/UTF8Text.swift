/// Text from raw bytes, when they are UTF-8.
public enum UTF8Text {
    /// The bytes as a string, or nil when they are not valid UTF-8. Most text that crosses
    /// between Lua and the account (names, keys, JSON) is ASCII: that is checked eight bytes
    /// at a time and decoded without the generic `String(validating:as:)`, which looks its
    /// generic types up at run time on every call (4 % of a lab's run, measured).
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Whether every byte is below 0x80.
    package static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            high |= UInt64(bytes[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
