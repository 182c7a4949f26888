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

    func planPut(_ input: PutItemInput, prefix: String = "") throws -> WritePlan {
        let table = try table(named: input.options.tableName)
        let item = try ItemCodec.item(input.item, path: prefix + "Item")
        let key = try table.primaryKey(of: item, exact: false)
        if ItemCodec.size(item) > 400 * 1024 {
            throw AWSError.validation("Item size has exceeded the maximum allowed size")
        }
        let exprs = try RequestExpressions(input.options.expressions, cache: cache, prefix: prefix)
        let old = table.items[key]
        try check(exprs, old)
        return WritePlan(table: table, key: key, old: old, new: item, isCheck: false, touched: Array(item.keys))
    }

    func planUpdate(_ input: KeyedItemInput, prefix: String = "") throws -> WritePlan {
        let table = try table(named: input.options.tableName)
        let key = try table.primaryKey(of: try input.key.item(path: prefix + "Key"), exact: true)
        let exprs = try RequestExpressions(input.options.expressions, cache: cache, prefix: prefix)
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

    func planDelete(_ input: KeyedItemInput, prefix: String = "") throws -> WritePlan {
        let table = try table(named: input.options.tableName)
        let key = try table.primaryKey(of: try input.key.item(path: prefix + "Key"), exact: true)
        let exprs = try RequestExpressions(input.options.expressions, cache: cache, prefix: prefix)
        let old = table.items[key]
        try check(exprs, old)
        return WritePlan(table: table, key: key, old: old, new: nil, isCheck: false)
    }

    /// A transaction's ConditionCheck (its ConditionExpression is required by the model).
    func planConditionCheck(_ input: KeyedItemInput, prefix: String = "") throws -> WritePlan {
        let table = try table(named: input.options.tableName)
        let key = try table.primaryKey(of: try input.key.item(path: prefix + "Key"), exact: true)
        let exprs = try RequestExpressions(input.options.expressions, cache: cache, prefix: prefix)
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
    func conditionFailure(_ failure: ConditionFailed, returning mode: ReturnValues) -> AWSError {
        var fields: [String: Document] = [:]
        if mode == .allOld, let item = failure.item { fields["Item"] = ItemCodec.document(item) }
        return AWSError("ConditionalCheckFailedException", "The conditional request failed", fields: fields)
    }

    // MARK: Operations

    /// Plans one write, refuses it while a transaction holds the item, and applies it; a
    /// failed condition becomes ConditionalCheckFailedException.
    private func write(returning mode: ReturnValues, _ plan: () throws -> WritePlan) throws -> WritePlan {
        let planned: WritePlan
        do { planned = try plan() } catch let failure as ConditionFailed { throw conditionFailure(failure, returning: mode) }
        try checkNotLocked(planned.table, planned.key)
        commit(planned)
        return planned
    }

    func putItem(_ request: Document) throws -> Document {
        let input = try PutItemInput(try Params(request))
        let plan = try write(returning: input.options.returnOnConditionFailure) { try planPut(input) }
        if input.options.returnValues == .allOld, let old = plan.old { return ["Attributes": ItemCodec.document(old)] }
        return [:]
    }

    func getItem(_ request: Document) throws -> Document {
        let input = try GetItemInput(try Params(request))
        let table = try table(named: input.tableName)
        let key = try table.primaryKey(of: try ItemCodec.item(input.key, path: "Key"), exact: true)
        let exprs = try RequestExpressions(input.expressions, cache: cache)
        guard let item = table.items[key] else { return [:] }
        return ["Item": ItemCodec.document(try exprs.project(item))]
    }

    func deleteItem(_ request: Document) throws -> Document {
        let input = try KeyedItemInput(try Params(request))
        let plan = try write(returning: input.options.returnOnConditionFailure) { try planDelete(input) }
        if input.options.returnValues == .allOld, let old = plan.old { return ["Attributes": ItemCodec.document(old)] }
        return [:]
    }

    func updateItem(_ request: Document) throws -> Document {
        try updateItem(try KeyedItemInput(try Params(request)))
    }

    func updateItem(_ input: KeyedItemInput) throws -> Document {
        let plan = try write(returning: input.options.returnOnConditionFailure) { try planUpdate(input) }
        let attributes: Item?
        switch input.options.returnValues {
        case .allOld: attributes = plan.old
        case .allNew: attributes = plan.new
        case .updatedOld: attributes = plan.old?.filter { plan.touched.contains($0.key) }
        case .updatedNew: attributes = plan.new?.filter { plan.touched.contains($0.key) }
        case .none: attributes = nil
        }
        if let attributes, !attributes.isEmpty { return ["Attributes": ItemCodec.document(attributes)] }
        return [:]
    }
}
