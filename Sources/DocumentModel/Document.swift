/// A JSON-like value: the shape of every AWS request and response, and of the data
/// that crosses between Lua and Swift.
///
/// Maps are unordered; every serialisation sorts their keys so output is deterministic.
public enum Document: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// Bytes that are not valid UTF-8 (a Lua string keeps them exact).
    case bytes([UInt8])
    case array([Document])
    case map([String: Document])
    /// A function from the scripting side (a lab's `check`, a callback).
    case callable(any DocumentCallable)
}

/// A function carried inside a ``Document``; Lua functions conform through the bridge.
public protocol DocumentCallable: AnyObject, Sendable {
    /// Calls the function with arguments and returns its results.
    func call(_ arguments: [Document]) throws -> [Document]
}

extension Document: Equatable {
    public static func == (lhs: Document, rhs: Document) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.bytes(a), .bytes(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.map(a), .map(b)): return a == b
        case let (.array(a), .map(b)), let (.map(b), .array(a)): return a.isEmpty && b.isEmpty
        case let (.callable(a), .callable(b)): return a === b
        default: return false
        }
    }
}

extension Document: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: Document...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Document)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension Document {
    /// The value under `key` when this is a map, else nil.
    public subscript(key: String) -> Document? {
        if case .map(let m) = self { return m[key] }
        return nil
    }

    /// The string (or the UTF-8 bytes decoded leniently) when this is text.
    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        default: return nil
        }
    }

    /// The bytes of a string or byte value.
    public var bytesValue: [UInt8]? {
        switch self {
        case .string(let s): return Array(s.utf8)
        case .bytes(let b): return b
        default: return nil
        }
    }

    /// The integer when this is an integer or an integral float.
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }

    /// The number as a Double.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements when this is an array (an empty map counts as an empty array:
    /// an empty Lua table is both).
    public var arrayValue: [Document]? {
        switch self {
        case .array(let a): return a
        case .map(let m) where m.isEmpty: return []
        default: return nil
        }
    }

    /// The entries when this is a map (an empty array counts as an empty map).
    public var mapValue: [String: Document]? {
        switch self {
        case .map(let m): return m
        case .array(let a) where a.isEmpty: return [:]
        default: return nil
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A short name of the kind of value, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "nil"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string, .bytes: return "string"
        case .array: return "list"
        case .map: return "map"
        case .callable: return "function"
        }
    }
}
