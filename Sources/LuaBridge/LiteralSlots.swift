/// Which slot of a state's literals table (``Literals``) holds the string made of each host
/// literal (an event's keys, its constant values), found by the literal's address.
///
/// A literal's string was looked up in that table by the address as a light userdata key:
/// Lua hashes such a key with a division and walks a generic chain (138 instructions a
/// lookup, 1.6 % of a lab's run, measured). Here the address picks a slot in a small table
/// of our own, and the string is read from the literals table's array part by that number.
final class LiteralSlots {
    /// A power of two; at most half of it is used, so a probe ends soon.
    private static let capacity = 256
    private let addresses: UnsafeMutablePointer<UInt>
    private let slots: UnsafeMutablePointer<Int32>
    /// Slots handed out, numbered from 1 (Lua's first array index).
    private(set) var count: Int32 = 0

    init() {
        addresses = .allocate(capacity: Self.capacity)
        addresses.initialize(repeating: 0, count: Self.capacity)
        slots = .allocate(capacity: Self.capacity)
        slots.initialize(repeating: 0, count: Self.capacity)
    }

    deinit {
        addresses.deallocate()
        slots.deallocate()
    }

    /// The slot of the literal at `address`, and whether it was handed out just now (its
    /// string is not in the literals table yet); nil once the table is half full (the
    /// literal is then interned as any string is).
    func slot(for address: UnsafeRawPointer) -> (slot: Int32, isNew: Bool)? {
        let key = UInt(bitPattern: address)
        let mask = Self.capacity - 1
        // Literals sit a few bytes apart in the binary's read-only data: mix the low bits in.
        var i = Int(truncatingIfNeeded: key ^ (key &>> 7)) & mask
        while true {
            let found = addresses[i]
            if found == key { return (slots[i], false) }
            if found == 0 {
                guard Int(count) < Self.capacity / 2 else { return nil }
                count += 1
                addresses[i] = key
                slots[i] = count
                return (count, true)
            }
            i = (i + 1) & mask
        }
    }
}
