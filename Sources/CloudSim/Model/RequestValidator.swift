import DocumentModel
import Foundation

/// Checks a request against its operation's input shape before anything else runs, with
/// the errors a learner would meet on AWS.
///
/// Two layers, as with boto3 against AWS:
/// - what the SDK refuses before sending (botocore's `validate.py`): unknown members, values
///   of the wrong type, tagged unions with other than one member set. Code
///   `ParamValidationError`, message `Parameter validation failed:` and one line each.
/// - what the service refuses (the model's constraints): missing required members, lengths,
///   ranges, patterns and enums. Code `ValidationException`, message
///   `1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: …`,
///   several joined with `; ` as AWS joins them.
///
/// One validator belongs to one account (it caches compiled patterns and accepted values).
package final class RequestValidator {
    /// Compiled patterns by shape.
    private var patterns: [ObjectIdentifier: PatternMatcher] = [:]
    /// UpdateItem's member shapes, looked up once (``conforms(_:_:_:)`` for typed requests).
    var updateItemShapes: UpdateItemShapes?

    package init() {}

    /// - Throws: ``AWSError`` (`ParamValidationError` or `ValidationException`); nothing else runs then.
    package func validate(_ request: Document, _ operation: OperationDescriptor, in model: ServiceModel) throws(AWSError) {
        guard let input = operation.input else {
            if let map = request.mapValue, let first = map.keys.sorted().first {
                throw AWSError("ParamValidationError", "Parameter validation failed:\nUnknown parameter in input: \"\(first)\", must be one of: ")
            }
            return
        }
        // Almost every request is valid: a quick yes or no first, and only on a no the walk
        // that names every error, in the model's order (the order AWS lists them in).
        if conforms(request, model.shapes[input], model.shapes) { return }
        var walk = Walk(shapes: model.shapes, validator: self)
        walk.check(request, input)
        if !walk.client.isEmpty {
            throw AWSError("ParamValidationError", "Parameter validation failed:\n" + walk.client.joined(separator: "\n"))
        }
        if !walk.server.isEmpty {
            let count = walk.server.count
            throw AWSError(
                "ValidationException",
                "\(count) validation error\(count == 1 ? "" : "s") detected: " + walk.server.joined(separator: "; "))
        }
    }

    /// The matcher of a shape's pattern, compiled on first use.
    func matcher(_ shape: Shape, _ pattern: String) -> PatternMatcher {
        let id = ObjectIdentifier(shape)
        if let existing = patterns[id] { return existing }
        let made = PatternMatcher(pattern)
        patterns[id] = made
        return made
    }
}

/// One pass over a request: the errors of each layer, and where the walk is.
private struct Walk {
    let shapes: [Shape]
    let validator: RequestValidator
    var client: [String] = []
    var server: [String] = []
    private var path: [Step] = []

    init(shapes: [Shape], validator: RequestValidator) {
        self.shapes = shapes
        self.validator = validator
    }

    enum Step {
        case member(String)
        case index(Int)
        case key(String)
    }

    mutating func check(_ value: Document, _ id: ShapeID) {
        let shape = shapes[id]
        switch shape.kind {
        case .structure:
            guard let map = value.mapValue else { return wrongType(value, "table") }
            structure(map, shape)
        case .list:
            guard let list = value.arrayValue else { return wrongType(value, "table (a list)") }
            length(list.count, shape, value)
            guard let element = shape.element else { return }
            for (i, item) in list.enumerated() {
                path.append(.index(i))
                check(item, element)
                path.removeLast()
            }
        case .map:
            guard let map = value.mapValue else { return wrongType(value, "table") }
            length(map.count, shape, value)
            // By key, so several errors come in the same order in every process.
            for (key, item) in map.sorted(by: { $0.key < $1.key }) {
                path.append(.key(key))
                if let keyShape = shape.key { scalarString(.string(key), shapes[keyShape], key) }
                if let valueShape = shape.value { check(item, valueShape) }
                path.removeLast()
            }
        case .string:
            guard case .string(let s) = value else {
                if case .bytes(let b) = value { return scalarString(value, shape, String(decoding: b, as: UTF8.self)) }
                return wrongType(value, "string")
            }
            scalarString(value, shape, s)
        case .blob:
            switch value {
            case .string(let s): length(s.utf8.count, shape, value)
            case .bytes(let b): length(b.count, shape, value)
            default: wrongType(value, "string")
            }
        case .integer, .long:
            guard let i = value.intValue else { return wrongType(value, "integer") }
            range(Double(i), shape, value)
        case .double, .float:
            guard let d = value.doubleValue else { return wrongType(value, "number") }
            range(d, shape, value)
        case .boolean:
            guard value.boolValue != nil else { return wrongType(value, "boolean") }
        case .timestamp:
            guard value.doubleValue != nil || value.stringValue != nil else { return wrongType(value, "number, string") }
        }
    }

    private mutating func structure(_ map: [String: Document], _ shape: Shape) {
        for name in map.keys.sorted() where shape.memberIndex[name] == nil { unknown(name, shape) }
        if shape.isUnion { union(map, shape) }
        for member in shape.members {
            guard let item = map[member.name], !item.isNull else { continue }
            path.append(.member(member.name))
            check(item, member.shape)
            path.removeLast()
        }
        for index in shape.requiredMembers where map[shape.members[index].name]?.isNull ?? true {
            path.append(.member(shape.members[index].name))
            server.append("Value null at '\(serverName)' failed to satisfy constraint: Member must not be null")
            path.removeLast()
        }
    }

    private mutating func unknown(_ name: String, _ shape: Shape) {
        let names = shape.members.map(\.name)
        var message = "Unknown parameter in \(clientName(orInput: true)): \"\(name)\", must be one of: " + names.joined(separator: ", ")
        if let near = NearestName.find(name, among: names) { message += " (did you mean \"\(near)\"?)" }
        client.append(message)
    }

    private mutating func union(_ map: [String: Document], _ shape: Shape) {
        guard map.values.filter({ !$0.isNull }).count != 1 else { return }
        client.append(
            "Invalid number of parameters set for tagged union structure \(clientName(orInput: true)). "
                + "Can only set one of the following keys: \(shape.members.map(\.name).joined(separator: ", ")).")
    }

    private mutating func scalarString(_ value: Document, _ shape: Shape, _ s: String) {
        var tooLong = false
        if let count = shape.lengthToCheck(of: s) {
            length(count, shape, value)
            tooLong = shape.isAboveMax(Double(count))
        }
        if let values = shape.enumValues, !values.contains(s) {
            constraint(value, "Member must satisfy enum value set: [\(values.joined(separator: ", "))]")
        }
        // A value already too long is not also matched (AWS would report both): a hostile
        // megabyte would only cost time.
        if !tooLong, let pattern = shape.pattern, !validator.matcher(shape, pattern).matches(s) {
            constraint(value, "Member must satisfy regular expression pattern: \(pattern)")
        }
    }

    private mutating func length(_ count: Int, _ shape: Shape, _ value: Document) {
        bounds(Double(count), shape, value, "length")
    }

    private mutating func range(_ number: Double, _ shape: Shape, _ value: Document) {
        bounds(number, shape, value, "value")
    }

    /// AWS's two bound messages: `Member must have length|value greater than or equal to N`.
    private mutating func bounds(_ x: Double, _ shape: Shape, _ value: Document, _ what: String) {
        if shape.isBelowMin(x), let min = shape.min {
            constraint(value, "Member must have \(what) greater than or equal to \(Self.number(min))")
        }
        if shape.isAboveMax(x), let max = shape.max {
            constraint(value, "Member must have \(what) less than or equal to \(Self.number(max))")
        }
    }

    private mutating func constraint(_ value: Document, _ text: String) {
        server.append("Value \(Self.quoted(value)) at '\(serverName)' failed to satisfy constraint: \(text)")
    }

    private mutating func wrongType(_ value: Document, _ expected: String) {
        let type: String
        switch value {
        case .array, .map: type = "table"
        case .callable: type = "function"
        default: type = value.kindName
        }
        client.append(
            "Invalid type for parameter \(clientName(orInput: false)), value: \(Self.plain(value)), type: \(type), valid types: \(expected)")
    }

    /// botocore's name of the current place: `Code.ZipFile`, `Records[0]`, or `input` at the top.
    private func clientName(orInput: Bool) -> String {
        var out = ""
        for step in path {
            switch step {
            case .member(let name), .key(let name): out += out.isEmpty ? name : ".\(name)"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out.isEmpty && orInput ? "input" : out
    }

    /// AWS's name of the current place: `batchSize`, `keySchema.1.member.keyType`.
    private var serverName: String {
        var parts: [String] = []
        for step in path {
            switch step {
            case .member(let name): parts.append(name.prefix(1).lowercased() + name.dropFirst())
            case .index(let i): parts.append("\(i + 1).member")
            case .key(let key): parts.append(key)
            }
        }
        return parts.joined(separator: ".")
    }

    private static func number(_ d: Double) -> String {
        d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

    /// A value as AWS quotes it in a message: `'0'`, `'abc'`, `null`, `'[a, b]'` (long ones cut).
    private static func quoted(_ value: Document) -> String {
        guard !value.isNull else { return "null" }
        let text = plain(value)
        return "'" + (text.count > 200 ? text.prefix(200) + "..." : text) + "'"
    }

    private static func plain(_ value: Document) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return number(d)
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .array(let a): return "[" + a.map(plain).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.keys.sorted().map { "\($0)=\(plain(m[$0] ?? .null))" }.joined(separator: ", ") + "}"
        case .callable: return "function"
        }
    }
}

/// A model pattern (Java regular expression syntax, which ICU shares) matched against the
/// whole value, as the services match it; values already accepted are remembered.
final class PatternMatcher {
    private let regex: NSRegularExpression?
    private var accepted: Set<String> = []

    init(_ pattern: String) {
        // Java's `matches()` needs the whole value to match.
        regex = try? NSRegularExpression(pattern: "^(?:" + pattern + ")\\z")
    }

    /// Whether the pattern compiled (a test checks that every model pattern does).
    var isValid: Bool { regex != nil }

    func matches(_ s: String) -> Bool {
        guard let regex else { return true }
        if accepted.contains(s) { return true }
        let whole = NSRange(s.startIndex..., in: s)
        guard regex.firstMatch(in: s, options: [.anchored], range: whole) != nil else { return false }
        // Names and ARNs repeat endlessly in a run; the bound keeps hostile input from growing it.
        if accepted.count < 4096 { accepted.insert(s) }
        return true
    }
}
