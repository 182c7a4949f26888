/// Applies a parsed UpdateExpression to an item, with DynamoDB's rules: right-hand sides
/// see the item as it was, paths may not overlap, key attributes may not change.
struct UpdateApplier {
    let context: ExpressionContext
    let keyNames: [String]

    /// The updated item and the top-level attributes the update touched.
    func apply(_ update: UpdateExpr, to original: Item) throws(AWSError) -> (item: Item, touched: [String]) {
        var paths: [[Step]] = []
        paths.reserveCapacity(update.set.count + update.remove.count + update.add.count + update.delete.count)
        func collect(_ p: PathExpr) throws(AWSError) -> [Step] {
            let steps = try context.resolve(p)
            for other in paths where Self.overlap(other, steps) {
                throw AWSError.validation(
                    "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: \(Self.show(other)), path two: \(Self.show(steps))")
            }
            if case .name(let top)? = steps.first, keyNames.contains(top) {
                throw AWSError.validation(
                    "One or more parameter values were invalid: Cannot update attribute \(top). This attribute is part of the key")
            }
            paths.append(steps)
            return steps
        }
        var sets: [([Step], AttributeValue)] = []
        sets.reserveCapacity(update.set.count)
        for (path, operand) in update.set {
            let steps = try collect(path)
            guard let value = try context.evaluate(operand, original) else {
                throw AWSError.validation("The provided expression refers to an attribute that does not exist in the item")
            }
            sets.append((steps, value))
        }
        var removes: [[Step]] = []
        for path in update.remove { removes.append(try collect(path)) }
        var adds: [([Step], AttributeValue)] = []
        for (path, operand) in update.add { adds.append((try collect(path), try context.evaluate(operand, original) ?? .null)) }
        var deletes: [([Step], AttributeValue)] = []
        for (path, operand) in update.delete {
            deletes.append((try collect(path), try context.evaluate(operand, original) ?? .null))
        }

        var item = original
        // Sized once for the attributes SET may add: growing a new item one by one rehashed
        // every name at each doubling.
        item.reserveCapacity(original.count + sets.count + adds.count)
        for (steps, value) in sets { try Self.write(value, at: steps, in: &item) }
        // Removing list elements shifts later ones: remove higher indexes first.
        for steps in removes.sorted(by: Self.later) { try Self.remove(at: steps, in: &item) }
        for (steps, value) in adds {
            let existing = ExpressionContext.lookup(steps, in: item)
            let result: AttributeValue
            switch (existing, value) {
            case (nil, .n), (nil, .ss), (nil, .ns), (nil, .bs): result = value
            case let (.n(a)?, .n(b)): result = .n(try DynamoNumber.adding(a, b))
            case let (.ss(a)?, .ss(b)): result = .ss(Array(Set(a).union(b)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            case let (.ns(a)?, .ns(b)): result = .ns(Array(Set(a).union(b)).sorted())
            case let (.bs(a)?, .bs(b)): result = .bs(Array(Set(a).union(b)).sorted { $0.lexicographicallyPrecedes($1) })
            default:
                throw AWSError.validation(
                    "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: \(value.typeName)\(existing.map { ", typeSet: \($0.typeName)" } ?? "")")
            }
            try Self.write(result, at: steps, in: &item)
        }
        for (steps, value) in deletes {
            guard let existing = ExpressionContext.lookup(steps, in: item) else {
                if case .ss = value { continue }
                if case .ns = value { continue }
                if case .bs = value { continue }
                throw AWSError.validation(
                    "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: \(value.typeName)")
            }
            let result: AttributeValue?
            switch (existing, value) {
            case let (.ss(a), .ss(b)): result = a.filter { !b.contains($0) }.isEmpty ? nil : .ss(a.filter { !b.contains($0) })
            case let (.ns(a), .ns(b)): result = a.filter { !b.contains($0) }.isEmpty ? nil : .ns(a.filter { !b.contains($0) })
            case let (.bs(a), .bs(b)): result = a.filter { !b.contains($0) }.isEmpty ? nil : .bs(a.filter { !b.contains($0) })
            default:
                throw AWSError.validation(
                    "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: \(value.typeName)")
            }
            if let result { try Self.write(result, at: steps, in: &item) } else { try Self.remove(at: steps, in: &item) }
        }
        // A few names, read only for UPDATED_OLD/UPDATED_NEW: a list, not a hashed set, made
        // whole (appended one by one it grew twice for four names). A path starts with a name
        // (the parser's), so each path gives one.
        let tops = paths.map { steps -> String in
            if case .name(let top)? = steps.first { return top }
            return ""
        }
        for i in tops.indices where tops[..<i].contains(tops[i]) {
            // Two paths into one attribute (`m.a`, `m.b`): each name once, in the order met.
            var touched: [String] = []
            for top in tops where !touched.contains(top) { touched.append(top) }
            return (item, touched)
        }
        return (item, tops)
    }

    /// Whether one path is a prefix of the other (or both are the same path): what
    /// `a.starts(with: b) || b.starts(with: a)` says, without the generic sequence walk.
    static func overlap(_ a: [Step], _ b: [Step]) -> Bool {
        for i in 0..<min(a.count, b.count) where a[i] != b[i] { return false }
        return true
    }

    /// Orders paths so that a later list element comes before an earlier one.
    static func later(_ a: [Step], _ b: [Step]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            switch (x, y) {
            case let (.index(i), .index(j)): return i > j
            case let (.name(m), .name(n)): return m > n
            case (.index, .name): return true
            case (.name, .index): return false
            }
        }
        return a.count > b.count
    }

    static func show(_ steps: [Step]) -> String {
        "[" + steps.map { step -> String in
            switch step {
            case .name(let n): return n
            case .index(let i): return "[\(i)]"
            }
        }.joined(separator: ", ") + "]"
    }

    private static let invalidPath = AWSError.validation(
        "The document path provided in the update expression is invalid for update")

    static func write(_ value: AttributeValue, at steps: [Step], in item: inout Item) throws(AWSError) {
        guard case .name(let top)? = steps.first else { throw invalidPath }
        if steps.count == 1 {
            item[top] = value
            return
        }
        guard var container = item[top] else { throw invalidPath }
        try write(value, at: steps.dropFirst(), in: &container)
        item[top] = container
    }

    private static func write(_ value: AttributeValue, at steps: ArraySlice<Step>, in container: inout AttributeValue)
        throws(AWSError)
    {
        guard let step = steps.first else {
            container = value
            return
        }
        let rest = steps.dropFirst()
        switch (step, container) {
        case (.name(let n), .m(var m)):
            if rest.isEmpty {
                m[n] = value
            } else {
                guard var child = m[n] else { throw invalidPath }
                try write(value, at: rest, in: &child)
                m[n] = child
            }
            container = .m(m)
        case (.index(let i), .l(var l)):
            if rest.isEmpty {
                if i < l.count { l[i] = value } else { l.append(value) }
            } else {
                guard i < l.count else { throw invalidPath }
                var child = l[i]
                try write(value, at: rest, in: &child)
                l[i] = child
            }
            container = .l(l)
        default:
            throw invalidPath
        }
    }

    /// Removes the attribute at `steps`. A missing last step is no change; a missing or
    /// mistyped parent is AWS's "document path … is invalid for update".
    static func remove(at steps: [Step], in item: inout Item) throws(AWSError) {
        guard case .name(let top)? = steps.first else { return }
        if steps.count == 1 {
            item[top] = nil
            return
        }
        guard var container = item[top] else { throw invalidPath }
        try remove(at: steps.dropFirst(), in: &container)
        item[top] = container
    }

    private static func remove(at steps: ArraySlice<Step>, in container: inout AttributeValue) throws(AWSError) {
        guard let step = steps.first else { return }
        let rest = steps.dropFirst()
        switch (step, container) {
        case (.name(let n), .m(var m)):
            if rest.isEmpty {
                m[n] = nil
            } else {
                guard var child = m[n] else { throw invalidPath }
                try remove(at: rest, in: &child)
                m[n] = child
            }
            container = .m(m)
        case (.index(let i), .l(var l)):
            if rest.isEmpty {
                if i < l.count { l.remove(at: i) }
            } else {
                guard i < l.count else { throw invalidPath }
                var child = l[i]
                try remove(at: rest, in: &child)
                l[i] = child
            }
            container = .l(l)
        default: throw invalidPath
        }
    }
}
