import DocumentModel

/// A subscription's filter policy: which messages it receives, by their attributes or by
/// the JSON of their body
/// (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html).
/// Keys are ANDed; the conditions of one key are ORed.
public struct SNSFilterPolicy: Sendable {
    public enum Scope: String, Sendable {
        case messageAttributes = "MessageAttributes"
        case messageBody = "MessageBody"
    }

    /// What one key tests: a list of conditions, or (body scope) the keys of a nested object.
    indirect enum Node: Sendable {
        case conditions([Condition])
        case nested([String: Node])
    }

    /// One condition of the policy language.
    enum Condition: Sendable {
        case equals(String)
        case number(Double)
        case bool(Bool)
        case isNull
        case prefix(String)
        case suffix(String)
        case equalsIgnoreCase(String)
        case anythingBut([Condition])
        case numeric([(op: String, value: Double)])
        case exists(Bool)
    }

    /// A value a message offers to the policy.
    enum Value {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
    }

    let root: [String: Node]

    /// - Throws: ``AWSError`` InvalidParameterException naming what is wrong.
    init(text: String, scope: Scope) throws(AWSError) {
        guard let json = try? Document(jsonText: text), let map = json.mapValue, !map.isEmpty else {
            throw Self.invalid("failed to parse JSON. A filter policy is a non-empty JSON object")
        }
        root = try Self.nodes(map, nesting: scope == .messageBody)
        guard root.count <= 5 || scope == .messageBody else { throw Self.invalid("Filter policy can not have more than 5 keys") }
    }

    static func invalid(_ reason: String) -> AWSError {
        AWSError("InvalidParameterException", "Invalid parameter: FilterPolicy: \(reason)")
    }

    private static func nodes(_ map: [String: Document], nesting: Bool) throws(AWSError) -> [String: Node] {
        var out: [String: Node] = [:]
        // By key, so of two malformed conditions the same one is named in every process.
        for (key, value) in map.sorted(by: { $0.key < $1.key }) {
            if let list = value.arrayValue {
                guard !list.isEmpty else { throw invalid("Empty arrays are not allowed (key \(key))") }
                var conditions: [Condition] = []
                for entry in list { conditions.append(try condition(entry, key: key)) }
                out[key] = .conditions(conditions)
            } else if nesting, let nested = value.mapValue, !nested.isEmpty {
                out[key] = .nested(try nodes(nested, nesting: true))
            } else {
                throw invalid("\"\(key)\" must be an array of match conditions")
            }
        }
        return out
    }

    private static func condition(_ entry: Document, key: String) throws(AWSError) -> Condition {
        switch entry {
        case .string(let s): return .equals(s)
        case .int(let n): return .number(Double(n))
        case .double(let d): return .number(d)
        case .bool(let b): return .bool(b)
        case .null: return .isNull
        case .map(let m) where m.count == 1:
            let (op, operand) = (m.keys.first ?? "", m.values.first ?? .null)
            switch op {
            case "prefix", "suffix", "equals-ignore-case":
                guard let s = operand.stringValue else { throw invalid("\(op) match pattern must be a string") }
                return op == "prefix" ? .prefix(s) : op == "suffix" ? .suffix(s) : .equalsIgnoreCase(s)
            case "exists":
                guard case .bool(let b) = operand else { throw invalid("exists match pattern must be either true or false") }
                return .exists(b)
            case "anything-but":
                let items = operand.arrayValue ?? [operand]
                var inner: [Condition] = []
                for item in items {
                    let c = try condition(item, key: key)
                    switch c {
                    case .equals, .number, .prefix, .suffix: inner.append(c)
                    default: throw invalid("anything-but takes strings, numbers, or a prefix or suffix")
                    }
                }
                return .anythingBut(inner)
            case "numeric":
                guard let parts = operand.arrayValue, !parts.isEmpty, parts.count % 2 == 0, parts.count <= 4 else {
                    throw invalid("numeric match pattern must be [operator, value] pairs")
                }
                var tests: [(op: String, value: Double)] = []
                for i in stride(from: 0, to: parts.count, by: 2) {
                    guard let op = parts[i].stringValue, ["=", "<", "<=", ">", ">="].contains(op), let n = parts[i + 1].doubleValue else {
                        throw invalid("Unrecognized numeric range operator or value in \(key)")
                    }
                    tests.append((op, n))
                }
                return .numeric(tests)
            default: throw invalid("Unrecognized match type \(op)")
            }
        default: throw invalid("Match value must be a string, number, true, false, null or an object (key \(key))")
        }
    }

    /// Whether a message with these attributes (`DataType`/`StringValue` maps) passes.
    func matches(attributes: [String: Document]) -> Bool {
        root.allSatisfy { key, node in
            guard case .conditions(let conditions) = node else { return false }
            guard let attribute = attributes[key] else { return conditions.contains { if case .exists(false) = $0 { return true } else { return false } } }
            let type = attribute["DataType"]?.stringValue ?? "String"
            let text = attribute["StringValue"]?.stringValue ?? ""
            var values: [Value]
            if type.hasPrefix("Number"), let n = Double(text) {
                values = [.number(n)]
            } else if type.hasPrefix("String.Array"), let list = (try? Document(jsonText: text))?.arrayValue {
                values = list.map(Self.value)
            } else if type.hasPrefix("Binary") {
                // Binary attributes are not matched by filter policies.
                return false
            } else {
                values = [.string(text)]
            }
            return Self.passes(values, conditions)
        }
    }

    /// Whether a message whose body is this JSON passes (body scope).
    func matches(body: Document) -> Bool { Self.matches(root, body) }

    private static func matches(_ nodes: [String: Node], _ object: Document) -> Bool {
        nodes.allSatisfy { key, node in
            let field = object[key]
            switch node {
            case .nested(let inner):
                guard let field, field.mapValue != nil else { return false }
                return matches(inner, field)
            case .conditions(let conditions):
                guard let field else { return conditions.contains { if case .exists(false) = $0 { return true } else { return false } } }
                let values = field.arrayValue.map { $0.map(value) } ?? [value(field)]
                return passes(values, conditions)
            }
        }
    }

    private static func value(_ d: Document) -> Value {
        switch d {
        case .string(let s): return .string(s)
        case .int(let n): return .number(Double(n))
        case .double(let x): return .number(x)
        case .bool(let b): return .bool(b)
        case .null: return .null
        default: return .string((try? d.jsonText()) ?? "")
        }
    }

    /// Any value meeting any condition (an array attribute matches through any element).
    private static func passes(_ values: [Value], _ conditions: [Condition]) -> Bool {
        conditions.contains { condition in
            if case .exists(let wanted) = condition { return wanted }
            return values.contains { holds(condition, $0) }
        }
    }

    private static func holds(_ condition: Condition, _ value: Value) -> Bool {
        switch (condition, value) {
        case (.equals(let s), .string(let v)): return s == v
        case (.number(let n), .number(let v)): return n == v
        case (.bool(let b), .bool(let v)): return b == v
        case (.isNull, .null): return true
        case (.prefix(let p), .string(let v)): return v.hasPrefix(p)
        case (.suffix(let p), .string(let v)): return v.hasSuffix(p)
        case (.equalsIgnoreCase(let s), .string(let v)): return s.lowercased() == v.lowercased()
        case (.anythingBut(let excluded), _):
            return !excluded.contains { holds($0, value) }
        case (.numeric(let tests), .number(let v)):
            return tests.allSatisfy { test in
                switch test.op {
                case "=": return v == test.value
                case "<": return v < test.value
                case "<=": return v <= test.value
                case ">": return v > test.value
                default: return v >= test.value
                }
            }
        default: return false
        }
    }
}
