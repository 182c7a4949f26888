import DocumentModel

/// Reads an operation's request parameters with AWS-style validation errors.
public struct Params {
    let values: [String: Document]
    /// The exception code for bad parameters (DynamoDB: ValidationException; Lambda:
    /// InvalidParameterValueException; Kinesis: InvalidArgumentException).
    let errorCode: String

    /// Unknown members, types and the model's constraints were checked before (``RequestValidator``);
    /// the typed getters still refuse what they cannot read, for callers inside the account.
    /// - Throws: ``AWSError`` if the request is not a map.
    public init(_ request: Document, errorCode: String = "ValidationException") throws {
        guard let map = request.mapValue else {
            throw AWSError(errorCode, "The request must be a table of parameters, not a \(request.kindName).")
        }
        values = map
        self.errorCode = errorCode
    }

    func fail(_ message: String) -> AWSError { AWSError(errorCode, message) }

    public func has(_ name: String) -> Bool { values[name].map { !$0.isNull } ?? false }

    public subscript(name: String) -> Document? { values[name].flatMap { $0.isNull ? nil : $0 } }

    public func string(_ name: String) throws -> String {
        guard let v = self[name] else { throw fail("1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null") }
        guard case .string(let s) = v else { throw fail("Invalid type for parameter \(name), value: \(v.kindName), type: expected string") }
        return s
    }

    // The optional getters look a member up once: requests have many absent members.
    public func optionalString(_ name: String) throws -> String? {
        guard let v = self[name] else { return nil }
        guard case .string(let s) = v else { throw fail("Invalid type for parameter \(name), value: \(v.kindName), type: expected string") }
        return s
    }

    public func int(_ name: String) throws -> Int {
        guard let v = self[name] else { throw fail("1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null") }
        guard let i = v.intValue else { throw fail("Invalid type for parameter \(name), value: \(v.kindName), type: expected integer") }
        return Int(i)
    }

    public func optionalInt(_ name: String, in range: ClosedRange<Int>? = nil) throws -> Int? {
        guard has(name) else { return nil }
        let value = try int(name)
        if let range, !range.contains(value) {
            throw fail("1 validation error detected: Value '\(value)' at '\(name)' failed to satisfy constraint: Member must have value between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    public func optionalDouble(_ name: String) throws -> Double? {
        guard let v = self[name] else { return nil }
        guard let d = v.doubleValue else { throw fail("Invalid type for parameter \(name), value: \(v.kindName), type: expected number") }
        return d
    }

    public func optionalBool(_ name: String) throws -> Bool? {
        guard let v = self[name] else { return nil }
        guard case .bool(let b) = v else { throw fail("Invalid type for parameter \(name), value: \(v.kindName), type: expected boolean") }
        return b
    }

    public func map(_ name: String) throws -> [String: Document] {
        guard let v = self[name] else { throw fail("1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null") }
        guard let m = v.mapValue else { throw fail("Invalid type for parameter \(name), value: \(v.kindName), type: expected map") }
        return m
    }

    public func optionalMap(_ name: String) throws -> [String: Document]? {
        guard let v = self[name] else { return nil }
        guard let m = v.mapValue else { throw fail("Invalid type for parameter \(name), value: \(v.kindName), type: expected map") }
        return m
    }

    /// A map of strings (an `Attributes` member), empty when absent.
    /// - Parameter refuse: the service's error for the key whose value is not a string.
    func stringMap(_ name: String, refuse: (String) -> AWSError) throws -> [String: String] {
        var out: [String: String] = [:]
        // By key, so of two bad values the same one is named in every process.
        for (key, value) in (try optionalMap(name) ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let text = value.stringValue else { throw refuse(key) }
            out[key] = text
        }
        return out
    }

    public func list(_ name: String) throws -> [Document] {
        guard let v = self[name] else { throw fail("1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null") }
        guard let a = v.arrayValue else { throw fail("Invalid type for parameter \(name), value: \(v.kindName), type: expected list") }
        return a
    }

    public func optionalList(_ name: String) throws -> [Document]? {
        guard let v = self[name] else { return nil }
        guard let a = v.arrayValue else { throw fail("Invalid type for parameter \(name), value: \(v.kindName), type: expected list") }
        return a
    }

    /// A string that must be one of `choices`.
    public func choice(_ name: String, _ choices: [String], default value: String? = nil) throws -> String {
        guard has(name) else {
            if let value { return value }
            return try string(name)
        }
        let s = try string(name)
        guard choices.contains(s) else {
            throw fail("1 validation error detected: Value '\(s)' at '\(name)' failed to satisfy constraint: Member must satisfy enum value set: [\(choices.joined(separator: ", "))]")
        }
        return s
    }
}
