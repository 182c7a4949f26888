/// A deterministic random generator (SplitMix64). Every random choice in the
/// simulation comes from one of these, derived from the run's seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// An independent stream for a named component: the same seed and name always give
    /// the same stream, and drawing from one stream never shifts another.
    public init(seed: UInt64, stream name: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across runs, unlike Hasher
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        var mixer = SeededRandom(seed: seed ^ hash)
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { p > 0 && unit() < p }

    /// A version 4 UUID string built from this stream.
    public mutating func uuid() -> String { uuid(dashes: true) }

    /// A version-4 UUID's 32 hex digits without dashes (as stream record event IDs are).
    public mutating func uuidHex() -> String { uuid(dashes: false) }

    private mutating func uuid(dashes: Bool) -> String {
        let a = next()
        let b = next()
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: dashes ? 36 : 32) { out in
            var o = 0
            for i in 0..<16 {
                var byte = UInt8(truncatingIfNeeded: (i < 8 ? a : b) >> (8 * UInt64(i % 8)))
                if i == 6 { byte = (byte & 0x0F) | 0x40 }
                if i == 8 { byte = (byte & 0x3F) | 0x80 }
                if dashes, i == 4 || i == 6 || i == 8 || i == 10 {
                    out[o] = UInt8(ascii: "-")
                    o += 1
                }
                out[o] = digits.utf8Start[Int(byte >> 4)]
                out[o + 1] = digits.utf8Start[Int(byte & 15)]
                o += 2
            }
            return o
        }
    }
}
