import DocumentModel

/// A hint in levels, from a nudge to the concept to the answer. A step has one hint, or
/// several named ones; its check names the one that fits what is missing.
public struct Hint: Equatable, Sendable {
    /// The name a check returns as its third value; `default` when the lab gave a plain list.
    public let name: String
    public let levels: [String]

    /// The hint shown when a check names none.
    public static let defaultName = "default"

    /// `hints = { "nudge", "concept", "answer" }` or `hints = { default = {…}, ["batch-size"] = {…} }`.
    /// - Returns: the hints with `default` first, or nil when the value has neither shape.
    static func parse(_ value: Document) -> [Hint]? {
        if let list = value.arrayValue {
            let levels = list.compactMap(\.stringValue)
            guard levels.count == list.count else { return nil }
            return levels.isEmpty ? [] : [Hint(name: defaultName, levels: levels)]
        }
        guard let named = value.mapValue else { return nil }
        var hints: [Hint] = []
        for (name, entry) in named {
            guard let list = entry.arrayValue, !list.isEmpty else { return nil }
            let levels = list.compactMap(\.stringValue)
            guard levels.count == list.count else { return nil }
            hints.append(Hint(name: name, levels: levels))
        }
        return hints.sorted { ($0.name == defaultName ? 0 : 1, $0.name) < ($1.name == defaultName ? 0 : 1, $1.name) }
    }
}

extension Step {
    /// The hint named `name`, or the default one when the check named none.
    public func hint(named name: String?) -> Hint? {
        hints.first { $0.name == (name ?? Hint.defaultName) }
    }
}
