import DocumentModel

/// A resolved path step.
enum Step: Hashable {
    case name(String)
    case index(Int)
}

/// The placeholders of one request, resolved, plus how errors name the expression.
struct ExpressionContext {
    /// ExpressionAttributeNames as the request has them (the model guarantees string values).
    let names: PlaceholderMap<Document>
    let values: PlaceholderMap<AttributeValue>

    func resolve(_ path: PathExpr) throws(AWSError) -> [Step] {
        // Most paths are one name (`#value`): a list of one made whole, with no sizing call.
        if path.steps.count == 1, case .name(let ref) = path.steps[0] { return [.name(try name(ref))] }
        var steps: [Step] = []
        steps.reserveCapacity(path.steps.count)
        for step in path.steps {
            switch step {
            case .index(let i): steps.append(.index(i))
            case .name(let ref): steps.append(.name(try name(ref)))
            }
        }
        return steps
    }

    /// A path step's attribute name: written out, or its `#alias` looked up.
    private func name(_ ref: NameRef) throws(AWSError) -> String {
        switch ref {
        case .literal(let n): return n
        case .alias(let a):
            guard let n = names[a]?.stringValue else {
                throw AWSError.validation(
                    "Value provided in ExpressionAttributeNames is not defined: An expression attribute name used in the document path is not defined; attribute name: \(a)")
            }
            return n
        }
    }

    func value(_ placeholder: String) throws(AWSError) -> AttributeValue {
        guard let v = values[placeholder] else {
            throw AWSError.validation(
                "Invalid expression: An expression attribute value used in expression is not defined; attribute value: \(placeholder)")
        }
        return v
    }

    /// The value at a path in an item, or nil when any step is missing.
    static func lookup(_ steps: [Step], in item: Item) -> AttributeValue? {
        guard case .name(let first)? = steps.first, var current = item[first] else { return nil }
        for step in steps.dropFirst() {
            switch (step, current) {
            case let (.name(n), .m(m)):
                guard let next = m[n] else { return nil }
                current = next
            case let (.index(i), .l(l)):
                guard i < l.count else { return nil }
                current = l[i]
            default: return nil
            }
        }
        return current
    }

    // MARK: Operands

    func evaluate(_ operand: Operand, _ item: Item) throws(AWSError) -> AttributeValue? {
        switch operand {
        case .path(let p): return Self.lookup(try resolve(p), in: item)
        case .value(let p): return try value(p)
        case .size(let p):
            guard let v = Self.lookup(try resolve(p), in: item) else { return nil }
            switch v {
            case .s(let s): return .n(DynamoNumber(s.utf8.count))
            case .b(let b): return .n(DynamoNumber(b.count))
            case .ss(let x): return .n(DynamoNumber(x.count))
            case .ns(let x): return .n(DynamoNumber(x.count))
            case .bs(let x): return .n(DynamoNumber(x.count))
            case .l(let x): return .n(DynamoNumber(x.count))
            case .m(let x): return .n(DynamoNumber(x.count))
            default:
                throw AWSError.validation(
                    "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: \(v.typeName)")
            }
        case .ifNotExists(let p, let fallback):
            if let existing = Self.lookup(try resolve(p), in: item) { return existing }
            return try evaluate(fallback, item)
        case .listAppend(let a, let b):
            let left = try required(a, item)
            let right = try required(b, item)
            guard case .l(let x)? = left, case .l(let y)? = right else {
                let wrong = [left, right].compactMap { $0 }.first { if case .l = $0 { return false } else { return true } }
                throw AWSError.validation(
                    "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: \(wrong?.typeName ?? "NULL")")
            }
            return .l(x + y)
        case .plus(let a, let b), .minus(let a, let b):
            let isPlus: Bool
            if case .plus = operand { isPlus = true } else { isPlus = false }
            let left = try required(a, item)
            let right = try required(b, item)
            guard case .n(let x)? = left, case .n(let y)? = right else {
                // AWS's text for arithmetic on a value that is not a number.
                throw AWSError.validation("An operand in the update expression has an incorrect data type")
            }
            return .n(isPlus ? try DynamoNumber.adding(x, y) : try DynamoNumber.subtracting(x, y))
        }
    }

    /// Like ``evaluate(_:_:)`` but a missing attribute is an error (update right-hand sides).
    private func required(_ operand: Operand, _ item: Item) throws(AWSError) -> AttributeValue? {
        guard let v = try evaluate(operand, item) else {
            throw AWSError.validation("The provided expression refers to an attribute that does not exist in the item")
        }
        return v
    }

    // MARK: Conditions

    func test(_ condition: ConditionExpr, _ item: Item) throws(AWSError) -> Bool {
        switch condition {
        case .and(let a, let b):
            if try !test(a, item) { return false }
            return try test(b, item)
        case .or(let a, let b):
            if try test(a, item) { return true }
            return try test(b, item)
        case .not(let a): return try !test(a, item)
        case .attributeExists(let p): return Self.lookup(try resolve(p), in: item) != nil
        case .attributeNotExists(let p): return Self.lookup(try resolve(p), in: item) == nil
        case .attributeType(let p, let t):
            guard case .s(let name)? = try evaluate(t, item),
                ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"].contains(name)
            else {
                throw AWSError.validation("Invalid ConditionExpression: Invalid attribute type name found; type: \(String(describing: try? evaluate(t, item)))")
            }
            return Self.lookup(try resolve(p), in: item)?.typeName == name
        case .compare(let a, let op, let b):
            let x = try evaluate(a, item)
            let y = try evaluate(b, item)
            switch op {
            case .eq: return x != nil && x == y
            case .ne: return x != y || x == nil
            default:
                guard let x, let y, let order = AttributeValue.compare(x, y) else { return false }
                switch op {
                case .lt: return order < 0
                case .le: return order <= 0
                case .gt: return order > 0
                default: return order >= 0
                }
            }
        case .between(let a, let low, let high):
            guard let x = try evaluate(a, item), let l = try evaluate(low, item), let h = try evaluate(high, item) else {
                return false
            }
            guard let lowOrder = AttributeValue.compare(l, h) else { return false }
            if lowOrder > 0 {
                throw AWSError.validation("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: \(l.typeName), upper bound operand: \(h.typeName)")
            }
            guard let a1 = AttributeValue.compare(x, l), let a2 = AttributeValue.compare(x, h) else { return false }
            return a1 >= 0 && a2 <= 0
        case .inList(let a, let list):
            guard let x = try evaluate(a, item) else { return false }
            for candidate in list where try evaluate(candidate, item) == x { return true }
            return false
        case .beginsWith(let a, let b):
            switch (try evaluate(a, item), try evaluate(b, item)) {
            case let (.s(x)?, .s(y)?): return x.utf8.starts(with: y.utf8)
            case let (.b(x)?, .b(y)?): return x.starts(with: y)
            default: return false
            }
        case .contains(let a, let b):
            guard let container = try evaluate(a, item), let element = try evaluate(b, item) else { return false }
            switch (container, element) {
            case let (.s(x), .s(y)): return y.isEmpty || x.utf8.firstRange(of: y.utf8) != nil
            case let (.b(x), .b(y)): return y.isEmpty || x.firstRange(of: y) != nil
            case let (.ss(x), .s(y)): return x.contains(y)
            case let (.ns(x), .n(y)): return x.contains(y)
            case let (.bs(x), .b(y)): return x.contains(y)
            case let (.l(x), _): return x.contains(element)
            default: return false
            }
        }
    }
}
