import DocumentModel

/// boto3's resource style: plain Lua values in and out, typed attribute values on the wire.
enum ResourceValues {
    /// A plain value as a typed attribute value: strings → S, numbers → N, booleans → BOOL,
    /// lists → L, tables → M, non-UTF-8 strings → B.
    static func typed(_ value: Document, path: String) throws -> Document {
        switch value {
        case .string(let s): return ["S": .string(s)]
        case .bytes(let b): return ["B": .bytes(b)]
        case .int(let i): return ["N": .string(String(i))]
        case .double(let d):
            guard d.isFinite else { throw EngineError(code: "ValidationException", message: "\(path): \(d) is not a number DynamoDB can store") }
            return ["N": .string(d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d))]
        case .bool(let b): return ["BOOL": .bool(b)]
        case .null: return ["NULL": true]
        case .array(let a): return ["L": .array(try a.enumerated().map { try typed($0.element, path: "\(path)[\($0.offset + 1)]") })]
        case .map(let m):
            if m.isEmpty { return ["M": [:]] }
            return ["M": .map(try m.mapValues { try typed($0, path: path) })]
        case .callable: throw EngineError(code: "ValidationException", message: "\(path): a function cannot be stored in DynamoDB")
        }
    }

    /// A typed attribute value as a plain value (numbers become Lua numbers).
    static func plain(_ value: Document) -> Document {
        guard case .map(let m) = value, m.count == 1, let (type, inner) = m.first else { return value }
        switch type {
        case "S", "B", "BOOL": return inner
        case "NULL": return .null
        case "N": return number(inner.stringValue ?? "0")
        case "M": return .map((inner.mapValue ?? [:]).mapValues(plain))
        case "L": return .array((inner.arrayValue ?? []).map(plain))
        case "SS", "BS": return inner
        case "NS": return .array((inner.arrayValue ?? []).map { number($0.stringValue ?? "0") })
        default: return value
        }
    }

    static func number(_ text: String) -> Document {
        if let i = Int64(text) { return .int(i) }
        return .double(Double(text) ?? 0)
    }

    static func typedItem(_ value: Document?, path: String) throws -> Document? {
        guard let value else { return nil }
        guard let m = value.mapValue else { throw EngineError(code: "ValidationException", message: "\(path) must be a table") }
        return .map(try m.mapValues { try typed($0, path: path) })
    }

    static func plainItem(_ value: Document?) -> Document? {
        guard let m = value?.mapValue else { return nil }
        return .map(m.mapValues(plain))
    }

    /// Converts a resource-style request to the client form, and the answer back.
    static func call(
        table: String, method: String, params: Document, client: (String, Document) throws -> Document
    ) throws -> Document {
        let operations = [
            "get_item": "GetItem", "put_item": "PutItem", "update_item": "UpdateItem", "delete_item": "DeleteItem",
            "query": "Query", "scan": "Scan",
        ]
        guard let operation = operations[method] else {
            throw EngineError(code: "AttributeError", message: "Table has no method '\(method)' (use get_item, put_item, update_item, delete_item, query or scan)")
        }
        guard var request = params.mapValue else {
            throw EngineError(code: "ValidationException", message: "Table:\(method) expects a table of parameters")
        }
        request["TableName"] = .string(table)
        for key in ["Key", "Item", "ExclusiveStartKey", "ExpressionAttributeValues"] {
            if let value = request[key] { request[key] = try typedItem(value, path: key) }
        }
        var response = try client(operation, .map(request)).mapValue ?? [:]
        for key in ["Item", "Attributes", "LastEvaluatedKey"] {
            if let value = response[key] { response[key] = plainItem(value) }
        }
        if let items = response["Items"]?.arrayValue { response["Items"] = .array(items.compactMap(plainItem)) }
        return .map(response)
    }
}
