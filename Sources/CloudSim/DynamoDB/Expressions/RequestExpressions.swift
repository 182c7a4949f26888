import DocumentModel

/// The expression texts one request carries (the model allows each operation only its own).
struct ExpressionTexts: Hashable {
    var condition: String?
    var keyCondition: String?
    var filter: String?
    var update: String?
    var projection: String?
}

/// A request's expressions parsed, with the placeholders they use together.
struct ParsedExpressions {
    var condition: ConditionExpr?
    var keyCondition: ConditionExpr?
    var filter: ConditionExpr?
    var update: UpdateExpr?
    var projection: [PathExpr]?
    /// Every placeholder the expressions use.
    var used = Placeholders() {
        didSet { (usedNames, usedValues) = (Array(used.names), Array(used.values)) }
    }
    /// The same placeholders as lists: a request's maps hold a few keys each, and finding each
    /// key in a short list compares small strings, where a lookup in a set hashes them.
    private(set) var usedNames: [String] = []
    private(set) var usedValues: [String] = []
    /// Whether the request has any expression at all.
    var any: Bool { condition != nil || keyCondition != nil || filter != nil || update != nil || projection != nil }
}

/// Parses expressions once and keeps them: the same text is parsed only the first time, and
/// the same combination of texts (a function's UpdateItem with its condition) is put
/// together only the first time.
final class ExpressionCache {
    private var conditions: [String: (ConditionExpr, Placeholders)] = [:]
    private var updates: [String: (UpdateExpr, Placeholders)] = [:]
    private var projections: [String: ([PathExpr], Placeholders)] = [:]
    private var requests: [ExpressionTexts: ParsedExpressions] = [:]
    /// The last few combinations asked for, newest first: a function sends the same texts
    /// call after call, and comparing them is cheaper than hashing them (two expressions of
    /// 60 to 90 characters cost 2,300 instructions a lookup in `requests`, measured).
    private var recent: [(texts: ExpressionTexts, parsed: ParsedExpressions)] = []
    private static let recentCount = 4
    /// Function code may build a new text for every call: past this many texts of a kind, the
    /// kind starts over, so such code costs parsing, not memory.
    private static let limit = 4096

    func condition(_ text: String, kind: String) throws(AWSError) -> (ConditionExpr, Placeholders) {
        try Self.entry(text, kind: kind, in: &conditions) { parser throws(AWSError) in try parser.parseCondition() }
    }

    func update(_ text: String) throws(AWSError) -> (UpdateExpr, Placeholders) {
        try Self.entry(text, kind: "UpdateExpression", in: &updates) { parser throws(AWSError) in try parser.parseUpdate() }
    }

    func projection(_ text: String) throws(AWSError) -> ([PathExpr], Placeholders) {
        try Self.entry(text, kind: "ProjectionExpression", in: &projections) { parser throws(AWSError) in try parser.parseProjection() }
    }

    /// The cached parse of `text`, parsed by `parse` the first time (a failure is not kept).
    private static func entry<T>(
        _ text: String, kind: String, in cache: inout [String: (T, Placeholders)],
        _ parse: (inout ExpressionParser) throws(AWSError) -> T
    ) throws(AWSError) -> (T, Placeholders) {
        if let hit = cache[text] { return hit }
        var parser = try ExpressionParser(text, kind: kind)
        let parsed = (try parse(&parser), parser.placeholders)
        keep(parsed, for: text, in: &cache)
        return parsed
    }

    private static func keep<Key, Value>(_ value: Value, for key: Key, in cache: inout [Key: Value]) {
        if cache.count >= limit { cache.removeAll() }
        cache[key] = value
    }

    /// All of a request's expressions, parsed in the order DynamoDB reports their errors.
    func parse(_ texts: ExpressionTexts) throws(AWSError) -> ParsedExpressions {
        if let i = recent.firstIndex(where: { $0.texts == texts }) {
            let hit = recent[i].parsed
            // A combination asked for again moves up one place, so the busiest stay.
            if i > 0 { recent.swapAt(i, i - 1) }
            return hit
        }
        let parsed = try lookUpOrParse(texts)
        if recent.count == Self.recentCount { recent.removeLast() }
        recent.insert((texts, parsed), at: 0)
        return parsed
    }

    private func lookUpOrParse(_ texts: ExpressionTexts) throws(AWSError) -> ParsedExpressions {
        if let hit = requests[texts] { return hit }
        var parsed = ParsedExpressions()
        var first = true
        func merge(_ p: Placeholders) {
            // Most requests have one expression: take its sets as they are.
            if first {
                parsed.used = p
                first = false
                return
            }
            parsed.used.names.formUnion(p.names)
            parsed.used.values.formUnion(p.values)
        }
        if let t = texts.condition { parsed.condition = try merging(condition(t, kind: "ConditionExpression"), merge) }
        if let t = texts.keyCondition { parsed.keyCondition = try merging(condition(t, kind: "KeyConditionExpression"), merge) }
        if let t = texts.filter { parsed.filter = try merging(condition(t, kind: "FilterExpression"), merge) }
        if let t = texts.update { parsed.update = try merging(update(t), merge) }
        if let t = texts.projection { parsed.projection = try merging(projection(t), merge) }
        Self.keep(parsed, for: texts, in: &requests)
        return parsed
    }

    private func merging<T>(_ entry: (T, Placeholders), _ merge: (Placeholders) -> Void) -> T {
        merge(entry.1)
        return entry.0
    }
}

/// The expressions of one request, parsed and checked against its placeholder maps.
struct RequestExpressions {
    var condition: ConditionExpr?
    var filter: ConditionExpr?
    var keyCondition: ConditionExpr?
    var update: UpdateExpr?
    var projection: [PathExpr]?
    let context: ExpressionContext

    /// Parses the expressions a request carries (the model allows each operation only its own)
    /// and checks them against its placeholder maps.
    init(_ input: ExpressionInput, cache: ExpressionCache, prefix: String = "") throws {
        let parsed = try cache.parse(input.texts)
        (condition, keyCondition, filter, update, projection) =
            (parsed.condition, parsed.keyCondition, parsed.filter, parsed.update, parsed.projection)
        let used = parsed.used
        let any = parsed.any
        // Each expression's own placeholders, in the order above, so an undefined one is named
        // with its expression. Looked up again (from the cache) only when one is undefined.
        func perExpression() -> [(kind: String, placeholders: Placeholders)] {
            var list: [(String, Placeholders)] = []
            if let t = input.condition, let p = try? cache.condition(t, kind: "ConditionExpression").1 { list.append(("ConditionExpression", p)) }
            if let t = input.keyCondition, let p = try? cache.condition(t, kind: "KeyConditionExpression").1 { list.append(("KeyConditionExpression", p)) }
            if let t = input.filter, let p = try? cache.condition(t, kind: "FilterExpression").1 { list.append(("FilterExpression", p)) }
            if let t = input.update, let p = try? cache.update(t).1 { list.append(("UpdateExpression", p)) }
            if let t = input.projection, let p = try? cache.projection(t).1 { list.append(("ProjectionExpression", p)) }
            return list
        }
        // An empty map is refused before anything else looks at it.
        if input.names?.isEmpty == true { throw AWSError.validation("ExpressionAttributeNames must not be empty") }
        if input.values?.isEmpty == true { throw AWSError.validation("ExpressionAttributeValues must not be empty") }
        // Kept as the request has them: the model has checked that every value is a string.
        var names = PlaceholderMap<Document>()
        switch input.names {
        case .document(let map)?: names = PlaceholderMap(map)
        case .decoded(let map)?: names = map
        case nil: break
        }
        if input.names != nil, !any {
            throw AWSError.validation("ExpressionAttributeNames can only be specified when using expressions")
        }
        var values = PlaceholderMap<AttributeValue>()
        if let given = input.values {
            guard any else {
                throw AWSError.validation("ExpressionAttributeValues can only be specified when using expressions")
            }
            switch given {
            case .document(let raw):
                values = try PlaceholderMap(raw) { (k, v) throws(AWSError) in
                    try AttributeValue(document: v, path: "\(prefix)ExpressionAttributeValues.\(k)")
                }
            case .decoded(let decoded): values = decoded
            }
        }
        // The maps hold exactly the placeholders used: as many keys, each used one defined. Only
        // when they do not is it worked out which error DynamoDB reports first.
        // (As many keys as placeholders, and every key one of them, is the same sets.)
        let exact = names.count == used.names.count && values.count == used.values.count
            && names.keys(allIn: parsed.usedNames) && values.keys(allIn: parsed.usedValues)
        if !exact {
            if names.keys.contains(where: { !used.names.contains($0) }) {
                let unused = names.keys.filter { !used.names.contains($0) }.sorted()
                throw AWSError.validation(
                    "Value provided in ExpressionAttributeNames unused in expressions: keys: {\(unused.joined(separator: ", "))}")
            }
            if values.keys.contains(where: { !used.values.contains($0) }) {
                let unused = values.keys.filter { !used.values.contains($0) }.sorted()
                throw AWSError.validation(
                    "Value provided in ExpressionAttributeValues unused in expressions: keys: {\(unused.joined(separator: ", "))}")
            }
            // "Invalid KeyConditionExpression: An expression attribute name used in the document
            // path is not defined; attribute name: #0", as DynamoDB words it.
            if used.names.count > names.count || used.names.contains(where: { names[$0] == nil }) {
                for (kind, placeholders) in perExpression() {
                    if let missing = placeholders.names.filter({ names[$0] == nil }).sorted().first {
                        throw AWSError.validation(
                            "Invalid \(kind): An expression attribute name used in the document path is not defined; attribute name: \(missing)")
                    }
                }
            }
            if used.values.count > values.count || used.values.contains(where: { values[$0] == nil }) {
                for (kind, placeholders) in perExpression() {
                    if let missing = placeholders.values.filter({ values[$0] == nil }).sorted().first {
                        throw AWSError.validation(
                            "Invalid \(kind): An expression attribute value used in expression is not defined; attribute value: \(missing)")
                    }
                }
            }
        }
        context = ExpressionContext(names: names, values: values)
        for (tree, kind) in [(condition, "ConditionExpression"), (keyCondition, "KeyConditionExpression"), (filter, "FilterExpression")] {
            if let tree { try Self.checkOperandTypes(tree, kind: kind, values: values) }
        }
    }

    /// What DynamoDB refuses before it reads an item: a value operand whose type the
    /// function cannot take (`begins_with` takes strings and binaries).
    private static func checkOperandTypes(_ condition: ConditionExpr, kind: String, values: PlaceholderMap<AttributeValue>) throws(AWSError) {
        switch condition {
        case .beginsWith(let a, let b):
            for case .value(let placeholder) in [a, b] {
                guard let value = values[placeholder] else { continue }
                switch value {
                case .s, .b: continue
                default:
                    throw AWSError.validation(
                        "Invalid \(kind): Incorrect operand type for operator or function; operator or function: begins_with, operand type: \(value.typeName)")
                }
            }
        case .and(let x, let y), .or(let x, let y):
            try checkOperandTypes(x, kind: kind, values: values)
            try checkOperandTypes(y, kind: kind, values: values)
        case .not(let x): try checkOperandTypes(x, kind: kind, values: values)
        default: return
        }
    }

    /// Applies a projection to an item (nested paths keep their structure).
    func project(_ item: Item) throws(AWSError) -> Item {
        guard let projection else { return item }
        var result: Item = [:]
        for path in projection {
            let steps = try context.resolve(path)
            guard let value = ExpressionContext.lookup(steps, in: item) else { continue }
            if steps.count == 1, case .name(let n) = steps[0] {
                result[n] = value
            } else {
                Self.merge(value, at: steps, into: &result, source: item)
            }
        }
        return result
    }

    /// Copies a nested value, building the containers along its path.
    private static func merge(_ value: AttributeValue, at steps: [Step], into result: inout Item, source: Item) {
        guard case .name(let top) = steps[0] else { return }
        func build(_ rest: ArraySlice<Step>, existing: AttributeValue?) -> AttributeValue {
            guard let step = rest.first else { return value }
            switch step {
            case .name(let n):
                var m: [String: AttributeValue] = [:]
                if case .m(let old)? = existing { m = old }
                m[n] = build(rest.dropFirst(), existing: m[n])
                return .m(m)
            case .index:
                var l: [AttributeValue] = []
                if case .l(let old)? = existing { l = old }
                l.append(build(rest.dropFirst(), existing: nil))
                return .l(l)
            }
        }
        result[top] = build(steps.dropFirst(), existing: result[top])
    }
}
