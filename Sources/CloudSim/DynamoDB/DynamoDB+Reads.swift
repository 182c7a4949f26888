import DocumentModel

extension DynamoDB {
    func query(_ request: Document) throws -> Document {
        let p = try Params(
            request)
        let table = try table(named: try p.string("TableName"))
        if let index = try p.optionalString("IndexName") {
            throw AWSError.validation("The table does not have the specified index: \(index)")
        }
        guard p.has("KeyConditionExpression") else {
            throw AWSError.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
        }
        let exprs = try RequestExpressions(ExpressionInput(p), cache: cache)
        guard let keyCondition = exprs.keyCondition else { return [:] }
        let partition = try partitionValue(keyCondition, table: table, context: exprs.context)
        var keys = table.keysInOrder().filter { $0.partition == partition }
        if try p.optionalBool("ScanIndexForward") == false { keys.reverse() }
        return try page(keys, table: table, p: p, exprs: exprs, keyCondition: keyCondition)
    }

    /// Checks the shape of a KeyConditionExpression and returns the partition key value.
    private func partitionValue(_ condition: ConditionExpr, table: Table, context: ExpressionContext) throws -> AttributeValue {
        var parts: [ConditionExpr] = []
        func flatten(_ c: ConditionExpr) {
            if case .and(let a, let b) = c {
                flatten(a)
                flatten(b)
            } else {
                parts.append(c)
            }
        }
        flatten(condition)
        var partition: AttributeValue?
        for part in parts {
            var name: String?
            switch part {
            case .compare(.path(let path), let op, .value(let v)):
                name = try context.resolve(path).first.flatMap { if case .name(let n) = $0 { return n } else { return nil } }
                if name == table.partitionKey.name {
                    guard op == .eq else {
                        throw AWSError.validation("Query key condition not supported")
                    }
                    partition = try context.value(v)
                    continue
                }
            case .between(.path(let path), _, _), .beginsWith(.path(let path), _):
                name = try context.resolve(path).first.flatMap { if case .name(let n) = $0 { return n } else { return nil } }
            default:
                throw AWSError.validation("Invalid operator used in KeyConditionExpression")
            }
            guard let name, name == table.sortKey?.name else {
                throw AWSError.validation(
                    "Query condition missed key schema element: \(name.map { "\($0) is not a key attribute" } ?? table.partitionKey.name)")
            }
        }
        guard let partition else {
            throw AWSError.validation("Query condition missed key schema element: \(table.partitionKey.name)")
        }
        guard partition.typeName == table.partitionKey.type else {
            throw AWSError.validation("One or more parameter values were invalid: Condition parameter type does not match schema type")
        }
        return partition
    }

    func scan(_ request: Document) throws -> Document {
        let p = try Params(
            request)
        let table = try table(named: try p.string("TableName"))
        if let index = try p.optionalString("IndexName") {
            throw AWSError.validation("The table does not have the specified index: \(index)")
        }
        let exprs = try RequestExpressions(ExpressionInput(p), cache: cache)
        var keys = table.keysInOrder()
        if let total = try p.optionalInt("TotalSegments", in: 1...1_000_000) {
            guard let segment = try p.optionalInt("Segment", in: 0...(total - 1)) else {
                throw AWSError.validation("The TotalSegments parameter is specified but the Segment parameter is not provided")
            }
            keys = keys.enumerated().filter { $0.offset % total == segment }.map(\.element)
        }
        return try page(keys, table: table, p: p, exprs: exprs, keyCondition: nil)
    }

    /// One page of a Query or Scan: Limit counts items read before the filter, as in DynamoDB.
    private func page(
        _ keys: [PrimaryKey], table: Table, p: Params, exprs: RequestExpressions, keyCondition: ConditionExpr?
    ) throws -> Document {
        let limit = try p.optionalInt("Limit", in: 1...Int.max)
        _ = try p.optionalBool("ConsistentRead")
        let select = try p.choice("Select", ["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"], default: "ALL_ATTRIBUTES")
        var startIndex = 0
        if let start = try p.optionalMap("ExclusiveStartKey") {
            let startKey = try table.primaryKey(of: try ItemCodec.item(.map(start), path: "ExclusiveStartKey"), exact: true)
            if let i = keys.firstIndex(of: startKey) {
                startIndex = i + 1
            } else {
                startIndex = keys.firstIndex(where: { PrimaryKey.ordered(startKey, $0) }) ?? keys.count
            }
        }
        var items: [Document] = []
        var scanned = 0
        var count = 0
        var lastKey: PrimaryKey?
        var index = startIndex
        while index < keys.count {
            if let limit, scanned >= limit { break }
            let key = keys[index]
            index += 1
            guard let item = table.items[key] else { continue }
            if let keyCondition, try !exprs.context.test(keyCondition, item) { continue }
            scanned += 1
            lastKey = key
            if let filter = exprs.filter, try !exprs.context.test(filter, item) { continue }
            count += 1
            if select != "COUNT" { items.append(ItemCodec.document(try exprs.project(item))) }
        }
        var result: [String: Document] = ["Count": .int(Int64(count)), "ScannedCount": .int(Int64(scanned))]
        if select != "COUNT" { result["Items"] = .array(items) }
        if let limit, scanned >= limit, let lastKey, index < keys.count || keyCondition != nil {
            let remaining = keys[index...].contains { key in
                guard let item = table.items[key] else { return false }
                return (try? keyCondition.map { try exprs.context.test($0, item) } ?? true) ?? false
            }
            if remaining { result["LastEvaluatedKey"] = ItemCodec.document(table.keyItem(lastKey)) }
        }
        return .map(result)
    }

    func batchWriteItem(_ request: Document) throws -> Document {
        let p = try Params(request)
        let requests = try p.map("RequestItems")
        var plans: [WritePlan] = []
        var seen = Set<ItemRef>()
        for tableName in requests.keys.sorted() {
            guard let list = requests[tableName]?.arrayValue else {
                throw AWSError.validation("RequestItems.\(tableName) must be a list of write requests")
            }
            for (i, entry) in list.enumerated() {
                let ep = try Params(entry)
                let plan: WritePlan
                if let put = try ep.optionalMap("PutRequest") {
                    var body = put
                    body["TableName"] = .string(tableName)
                    plan = try planPut(try PutItemInput(try Params(.map(body))), prefix: "RequestItems.\(tableName)[\(i)].PutRequest.")
                } else if let delete = try ep.optionalMap("DeleteRequest") {
                    var body = delete
                    body["TableName"] = .string(tableName)
                    plan = try planDelete(try KeyedItemInput(try Params(.map(body))), prefix: "RequestItems.\(tableName)[\(i)].DeleteRequest.")
                } else {
                    throw AWSError.validation("A write request must have a PutRequest or a DeleteRequest")
                }
                guard seen.insert(ItemRef(table: plan.table.name, key: plan.key)).inserted else {
                    throw AWSError.validation("Provided list of item keys contains duplicates")
                }
                plans.append(plan)
            }
        }
        guard (1...25).contains(plans.count) else {
            throw AWSError.validation(
                "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length less than or equal to 25 and at least 1")
        }
        for plan in plans { try checkNotLocked(plan.table, plan.key) }
        for plan in plans { commit(plan) }
        return ["UnprocessedItems": [:]]
    }

    func batchGetItem(_ request: Document) throws -> Document {
        let p = try Params(request)
        let requests = try p.map("RequestItems")
        var responses: [String: Document] = [:]
        var total = 0
        for tableName in requests.keys.sorted() {
            guard let body = requests[tableName] else { continue }
            let bp = try Params(
                body)
            let table = try table(named: tableName)
            let exprs = try RequestExpressions(ExpressionInput(bp), cache: cache)
            var found: [Document] = []
            var seen = Set<PrimaryKey>()
            for (i, keyDocument) in try bp.list("Keys").enumerated() {
                let key = try table.primaryKey(of: try ItemCodec.item(keyDocument, path: "RequestItems.\(tableName).Keys[\(i)]"), exact: true)
                guard seen.insert(key).inserted else { throw AWSError.validation("Provided list of item keys contains duplicates") }
                total += 1
                if let item = table.items[key] { found.append(ItemCodec.document(try exprs.project(item))) }
            }
            responses[tableName] = .array(found)
        }
        guard (1...100).contains(total) else {
            throw AWSError.validation("Too many items requested for the BatchGetItem call")
        }
        return ["Responses": .map(responses), "UnprocessedKeys": [:]]
    }
}
