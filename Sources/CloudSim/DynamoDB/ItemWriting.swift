import DocumentModel

/// An item's attributes written in name order: stream records' `Keys`, `NewImage` and
/// `OldImage`, and a map attribute's members.
///
/// A dictionary's own order is its process's (Swift seeds its hashing per process), and the
/// order Lua receives members in decides when its collector frees their strings and resizes
/// its string table, which the sandbox counts as work: the order must not depend on the
/// process (as `LuaState.push` writes a document's map, for the same reason).
struct ItemWriting: DocumentWritable {
    let item: Item

    init(_ item: Item) { self.item = item }

    func write<E: JSONEvents>(into events: inout E) {
        events.beginObject(count: item.count)
        for (name, value) in item.sorted(by: { $0.key < $1.key }) {
            var name = name
            name.withUTF8 { events.key($0) }
            value.write(into: &events)
            events.endMember()
        }
        events.endObject()
    }
}
