import DocumentModel
import Testing

@testable import CloudSim

/// Items reach Lua (stream records' images, map attributes) member by member; the order must
/// be the names' and not the dictionary's, which Swift seeds per process: over twelve names, a
/// dictionary's order is the sorted one in one process of 479 million.
@Suite struct ItemWritingTests {
    /// Records each object's keys in the order they are written.
    struct KeyOrder: JSONEvents {
        var objects: [[String]] = []
        private var open: [[String]] = []

        mutating func null() {}
        mutating func bool(_ value: Bool) {}
        mutating func int(_ value: Int64) {}
        mutating func double(_ value: Double) {}
        mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) {}
        mutating func key(_ bytes: UnsafeBufferPointer<UInt8>) {
            open[open.count - 1].append(String(decoding: bytes, as: UTF8.self))
        }
        mutating func beginObject() { open.append([]) }
        mutating func endMember() {}
        mutating func endObject() { objects.append(open.removeLast()) }
        mutating func beginArray() {}
        mutating func endElement(_ position: Int) {}
        mutating func endArray() {}
    }

    @Test func anItemsMembersAreWrittenInNameOrder() throws {
        var nested: Item = [:]
        var item: Item = [:]
        for i in 0..<12 {
            nested["m\(i)"] = .n(DynamoNumber(i))
            item["a\(i)"] = .s("x")
        }
        item["nested"] = .m(nested)
        var order = KeyOrder()
        ItemWriting(item).write(into: &order)
        let names = order.objects.filter { $0.count > 1 }
        #expect(names.count == 2)
        for keys in names { #expect(keys == keys.sorted(), "\(keys)") }
    }
}
