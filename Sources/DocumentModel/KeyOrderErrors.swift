extension Dictionary where Key == String {
    /// Calls `body` with each entry, in the dictionary's own order while none throws. When one
    /// throws, the entries are gone through again in key order and the first error there is
    /// thrown: of several bad entries the same one is reported in every process, though a
    /// dictionary's order is its process's (Swift seeds its hashing per process). Only a
    /// failing call pays for the sort.
    ///
    /// `body` runs twice for some entries when one throws; what it stored is dropped with the
    /// error by callers that build a result.
    @inlinable package func forEachReportingFirstByKey<E: Error>(_ body: (String, Value) throws(E) -> Void) throws(E) {
        do {
            for (key, value) in self { try body(key, value) }
        } catch {
            for (key, value) in sorted(by: { $0.key < $1.key }) { try body(key, value) }
            throw error
        }
    }
}
