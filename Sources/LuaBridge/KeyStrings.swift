import Foundation

/// The Swift strings a state made of table keys lately, found again by the Lua string's
/// address: a request table's keys (`TableName`, `Key`, `UpdateExpression`, …) are the same
/// interned Lua strings call after call, and making each into a `String` again (and a heap
/// one past 15 bytes) was a fifth of converting a request (measured).
///
/// An address alone proves nothing (Lua may free a string and put another there), so a hit
/// also compares the bytes.
final class KeyStrings {
    /// A power of two; one entry per slot, the newest wins.
    private static let size = 256

    private struct Entry {
        var address: UnsafeRawPointer?
        var bytes: [UInt8]
        var string: String
    }

    private let entries: UnsafeMutablePointer<Entry>

    init() {
        entries = .allocate(capacity: Self.size)
        entries.initialize(repeating: Entry(address: nil, bytes: [], string: ""), count: Self.size)
    }

    deinit {
        entries.deinitialize(count: Self.size)
        entries.deallocate()
    }

    /// The string of `length` bytes at `pointer`, decoded as `String(decoding:as:)` does
    /// (invalid UTF-8 repaired).
    func string(_ pointer: UnsafePointer<CChar>, _ length: Int) -> String {
        let address = UnsafeRawPointer(pointer)
        let bits = UInt(bitPattern: address)
        // Lua's objects are 16-byte aligned; the bits above pick the slot.
        let slot = Int(truncatingIfNeeded: (bits &>> 4) ^ (bits &>> 12)) & (Self.size - 1)
        if entries[slot].address == address, entries[slot].bytes.count == length,
            entries[slot].bytes.withUnsafeBytes({ kept in
                guard let base = kept.baseAddress else { return length == 0 }
                return memcmp(base, address, length) == 0
            })
        {
            return entries[slot].string
        }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length)
        let string = String(decoding: bytes, as: UTF8.self)
        entries[slot] = Entry(address: address, bytes: Array(bytes), string: string)
        return string
    }
}
