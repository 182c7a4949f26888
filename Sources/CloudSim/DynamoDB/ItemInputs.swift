import DocumentModel

/// What a write returns of the item (`ReturnValues`, `ReturnValuesOnConditionCheckFailure`).
enum ReturnValues: String {
    case none = "NONE", allOld = "ALL_OLD", updatedOld = "UPDATED_OLD", allNew = "ALL_NEW", updatedNew = "UPDATED_NEW"

    init(_ value: Document?) {
        // The model's enum was checked by RequestValidator; an absent member is NONE.
        self = value?.stringValue.flatMap(ReturnValues.init(rawValue:)) ?? .none
    }
}

/// The expression members of a request: their texts and placeholder maps.
struct ExpressionInput {
    var condition: String?
    var update: String?
    var projection: String?
    var filter: String?
    var keyCondition: String?
    var names: PlaceholderInput<Document>?
    var values: PlaceholderInput<AttributeValue>?

    init() {}

    /// The expression texts, as the cache keys them.
    var texts: ExpressionTexts {
        ExpressionTexts(condition: condition, keyCondition: keyCondition, filter: filter, update: update, projection: projection)
    }

    /// Reads the expression members of a request in one pass over its members: seven
    /// lookups of mostly absent names cost more than the walk (the model checked the types).
    init(_ p: Params) {
        for (key, value) in p.values { _ = take(key, value) }
    }

    /// Keeps `value` if `key` is an expression member; false for any other member.
    mutating func take(_ key: String, _ value: Document) -> Bool {
        guard !value.isNull else { return false }
        // A switch over strings compares them one after another (up to seven 88-instruction
        // compares a member, measured); the length picks the one or two candidates.
        switch key.utf8.count {
        case 16 where key == "UpdateExpression": update = value.stringValue
        case 16 where key == "FilterExpression": filter = value.stringValue
        case 19 where key == "ConditionExpression": condition = value.stringValue
        case 20 where key == "ProjectionExpression": projection = value.stringValue
        case 22 where key == "KeyConditionExpression": keyCondition = value.stringValue
        case 24 where key == "ExpressionAttributeNames": names = value.mapValue.map { .document($0) }
        case 25 where key == "ExpressionAttributeValues": values = value.mapValue.map { .document($0) }
        default: return false
        }
        return true
    }
}

/// What every single-item write carries besides its item or key.
struct WriteOptions {
    let tableName: String
    let expressions: ExpressionInput
    let returnValues: ReturnValues
    let returnOnConditionFailure: ReturnValues

    init(tableName: String, expressions: ExpressionInput, returnValues: ReturnValues, returnOnConditionFailure: ReturnValues) {
        self.tableName = tableName
        self.expressions = expressions
        self.returnValues = returnValues
        self.returnOnConditionFailure = returnOnConditionFailure
    }

    init(_ p: Params) throws {
        var expressions = ExpressionInput()
        var returnValues: Document?
        var returnOnConditionFailure: Document?
        for (key, value) in p.values where !expressions.take(key, value) {
            switch key.utf8.count {
            case 12 where key == "ReturnValues": returnValues = value
            case 35 where key == "ReturnValuesOnConditionCheckFailure": returnOnConditionFailure = value
            default: continue
            }
        }
        tableName = try p.string("TableName")
        self.expressions = expressions
        self.returnValues = ReturnValues(returnValues)
        self.returnOnConditionFailure = ReturnValues(returnOnConditionFailure)
    }
}

/// PutItem's input, decoded once from a request the model validated (also a transaction's Put).
struct PutItemInput {
    let item: Document
    let options: WriteOptions

    init(_ p: Params) throws {
        item = .map(try p.map("Item"))
        options = try WriteOptions(p)
    }
}

/// The input of a request on one item by its key: UpdateItem, DeleteItem, a transaction's
/// ConditionCheck (their members differ only in which expressions the model allows).
struct KeyedItemInput {
    let key: KeyInput
    let options: WriteOptions

    init(_ p: Params) throws {
        key = .document(.map(try p.map("Key")))
        options = try WriteOptions(p)
    }

    init(key: KeyInput, options: WriteOptions) {
        self.key = key
        self.options = options
    }
}

/// A request's key as it came: a document, checked as it is decoded, or attributes read and
/// decoded already (a request read straight from a function's Lua table).
enum KeyInput {
    case document(Document)
    case decoded(Item)

    /// The key's attributes; a document's problems are refused as `ItemCodec.item` refuses them.
    func item(path: @autoclosure () -> String) throws(AWSError) -> Item {
        switch self {
        case .document(let document): return try ItemCodec.item(document, path: path())
        case .decoded(let item): return item
        }
    }
}

/// GetItem's input.
struct GetItemInput {
    let tableName: String
    let key: Document
    let expressions: ExpressionInput
    let consistentRead: Bool

    init(_ p: Params) throws {
        tableName = try p.string("TableName")
        key = .map(try p.map("Key"))
        expressions = ExpressionInput(p)
        consistentRead = try p.optionalBool("ConsistentRead") ?? false
    }
}

/// TransactWriteItems' input: its actions in order and its idempotency token.
struct TransactWriteItemsInput {
    enum Action {
        case put(PutItemInput)
        case update(KeyedItemInput)
        case delete(KeyedItemInput)
        case conditionCheck(KeyedItemInput)

        var kind: String {
            switch self {
            case .put: return "Put"
            case .update: return "Update"
            case .delete: return "Delete"
            case .conditionCheck: return "ConditionCheck"
            }
        }

        var returnOnConditionFailure: ReturnValues {
            switch self {
            case .put(let input): return input.options.returnOnConditionFailure
            case .update(let input), .delete(let input), .conditionCheck(let input): return input.options.returnOnConditionFailure
            }
        }
    }

    let actions: [Action]
    let clientRequestToken: String?
    /// The request without the members that do not make two requests different, for the token's check.
    let fingerprint: String

    init(_ p: Params) throws {
        var actions: [Action] = []
        for (i, entry) in try p.list("TransactItems").enumerated() {
            // TransactWriteItem is no union in the model: exactly one action is DynamoDB's own rule.
            guard let map = entry.mapValue, map.count == 1, let (kind, body) = map.first else {
                throw AWSError.validation("TransactItems[\(i)] must have exactly one of ConditionCheck, Put, Delete or Update")
            }
            let bp = try Params(body)
            switch kind {
            case "Put": actions.append(.put(try PutItemInput(bp)))
            case "Update": actions.append(.update(try KeyedItemInput(bp)))
            case "Delete": actions.append(.delete(try KeyedItemInput(bp)))
            default: actions.append(.conditionCheck(try KeyedItemInput(bp)))
            }
        }
        self.actions = actions
        clientRequestToken = try p.optionalString("ClientRequestToken")
        if clientRequestToken != nil {
            var body = p.values
            body["ClientRequestToken"] = nil
            body["ReturnConsumedCapacity"] = nil
            body["ReturnItemCollectionMetrics"] = nil
            fingerprint = (try? Document.map(body).jsonText()) ?? ""
        } else {
            fingerprint = ""
        }
    }
}
