import DocumentModel

/// A write worked out but not yet applied, so a transaction can check every part first.
struct WritePlan {
    let table: Table
    let key: PrimaryKey
    let old: Item?
    /// The item after the write; nil deletes it. Unchanged for a condition check.
    let new: Item?
    let isCheck: Bool
    var touched: [String] = []
}

/// The condition failed; carries the item for ReturnValuesOnConditionCheckFailure.
struct ConditionFailed: Error {
    let item: Item?
}

extension DynamoDB {
    // MARK: Planning

    func planPut(_ p: Params, prefix: String = "") throws -> WritePlan {
        let table = try table(named: try p.string("TableName"))
        let item = try ItemCodec.item(try p.map("Item").document, path: prefix + "Item")
        let key = try table.primaryKey(of: item, exact: false)
        if ItemCodec.size(item) > 400 * 1024 {
            throw AWSError.validation("Item size has exceeded the maximum allowed size")
        }
        let exprs = try RequestExpressions(p, supported: ["ConditionExpression"], cache: cache, prefix: prefix)
        let old = table.items[key]
        try check(exprs, old)
        return WritePlan(table: table, key: key, old: old, new: item, isCheck: false, touched: Array(item.keys))
    }

    func planUpdate(_ p: Params, prefix: String = "") throws -> WritePlan {
        let table = try table(named: try p.string("TableName"))
        let key = try table.primaryKey(of: try ItemCodec.item(try p.map("Key").document, path: prefix + "Key"), exact: true)
        let exprs = try RequestExpressions(p, supported: ["UpdateExpression", "ConditionExpression"], cache: cache, prefix: prefix)
        let old = table.items[key]
        try check(exprs, old)
        var base = old ?? table.keyItem(key)
        var touched: [String] = []
        if let update = exprs.update {
            let applied = try UpdateApplier(context: exprs.context, keyNames: table.keyNames).apply(update, to: base)
            base = applied.item
            touched = applied.touched
        }
        if ItemCodec.size(base) > 400 * 1024 {
            throw AWSError.validation("Item size to update has exceeded the maximum allowed size")
        }
        return WritePlan(table: table, key: key, old: old, new: base, isCheck: false, touched: touched)
    }

    func planDelete(_ p: Params, prefix: String = "") throws -> WritePlan {
        let table = try table(named: try p.string("TableName"))
        let key = try table.primaryKey(of: try ItemCodec.item(try p.map("Key").document, path: prefix + "Key"), exact: true)
        let exprs = try RequestExpressions(p, supported: ["ConditionExpression"], cache: cache, prefix: prefix)
        let old = table.items[key]
        try check(exprs, old)
        return WritePlan(table: table, key: key, old: old, new: nil, isCheck: false)
    }

    func planConditionCheck(_ p: Params, prefix: String = "") throws -> WritePlan {
        let table = try table(named: try p.string("TableName"))
        let key = try table.primaryKey(of: try ItemCodec.item(try p.map("Key").document, path: prefix + "Key"), exact: true)
        guard p.has("ConditionExpression") else {
            throw AWSError.validation("1 validation error detected: Value null at 'conditionExpression' failed to satisfy constraint: Member must not be null")
        }
        let exprs = try RequestExpressions(p, supported: ["ConditionExpression"], cache: cache, prefix: prefix)
        let old = table.items[key]
        try check(exprs, old)
        return WritePlan(table: table, key: key, old: old, new: old, isCheck: true)
    }

    private func check(_ exprs: RequestExpressions, _ item: Item?) throws {
        guard let condition = exprs.condition else { return }
        if try !exprs.context.test(condition, item ?? [:]) { throw ConditionFailed(item: item) }
    }

    /// Applies a plan; the stream sees the change only if the item really changed.
    func commit(_ plan: WritePlan) {
        guard !plan.isCheck else { return }
        plan.table.write(plan.key, plan.new, at: now)
    }

    /// ConditionalCheckFailedException, with the item when the caller asked for it.
    func conditionFailure(_ failure: ConditionFailed, _ p: Params) throws -> AWSError {
        let mode = try p.choice("ReturnValuesOnConditionCheckFailure", ["NONE", "ALL_OLD"], default: "NONE")
        var fields: [String: Document] = [:]
        if mode == "ALL_OLD", let item = failure.item { fields["Item"] = ItemCodec.document(item) }
        return AWSError("ConditionalCheckFailedException", "The conditional request failed", fields: fields)
    }

    // MARK: Operations

    /// Plans one write, refuses it while a transaction holds the item, and applies it; a
    /// failed condition becomes ConditionalCheckFailedException.
    private func write(_ p: Params, _ plan: (Params) throws -> WritePlan) throws -> WritePlan {
        let planned: WritePlan
        do { planned = try plan(p) } catch let failure as ConditionFailed { throw try conditionFailure(failure, p) }
        try checkNotLocked(planned.table, planned.key)
        commit(planned)
        return planned
    }

    func putItem(_ request: Document) throws -> Document {
        let p = try Params(request)
        let returnValues = try p.choice("ReturnValues", ["NONE", "ALL_OLD"], default: "NONE")
        let plan = try write(p) { try planPut($0) }
        if returnValues == "ALL_OLD", let old = plan.old { return ["Attributes": ItemCodec.document(old)] }
        return [:]
    }

    func getItem(_ request: Document) throws -> Document {
        let p = try Params(
            request)
        let table = try table(named: try p.string("TableName"))
        let key = try table.primaryKey(of: try ItemCodec.item(try p.map("Key").document, path: "Key"), exact: true)
        _ = try p.optionalBool("ConsistentRead")
        let exprs = try RequestExpressions(p, supported: ["ProjectionExpression"], cache: cache)
        guard let item = table.items[key] else { return [:] }
        return ["Item": ItemCodec.document(try exprs.project(item))]
    }

    func deleteItem(_ request: Document) throws -> Document {
        let p = try Params(request)
        let returnValues = try p.choice("ReturnValues", ["NONE", "ALL_OLD"], default: "NONE")
        let plan = try write(p) { try planDelete($0) }
        if returnValues == "ALL_OLD", let old = plan.old { return ["Attributes": ItemCodec.document(old)] }
        return [:]
    }

    func updateItem(_ request: Document) throws -> Document {
        let p = try Params(request)
        let returnValues = try p.choice(
            "ReturnValues", ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"], default: "NONE")
        let plan = try write(p) { try planUpdate($0) }
        let attributes: Item?
        switch returnValues {
        case "ALL_OLD": attributes = plan.old
        case "ALL_NEW": attributes = plan.new
        case "UPDATED_OLD": attributes = plan.old?.filter { plan.touched.contains($0.key) }
        case "UPDATED_NEW": attributes = plan.new?.filter { plan.touched.contains($0.key) }
        default: attributes = nil
        }
        if let attributes, !attributes.isEmpty { return ["Attributes": ItemCodec.document(attributes)] }
        return [:]
    }
}
