import DocumentModel

extension DynamoDB {
    func transactWriteItems(_ request: Document) throws -> Document {
        let input = try TransactWriteItemsInput(try Params(request))
        transactionCounts.calls += 1
        if let token = input.clientRequestToken {
            transactionCounts.withToken += 1
            forgetOldTokens()
            if let seen = tokens[token] {
                guard seen.fingerprint == input.fingerprint else {
                    throw AWSError(
                        "IdempotentParameterMismatchException",
                        "The request uses the same client token as a previous, but non-identical request.")
                }
                transactionCounts.replayed += 1
                return [:]
            }
        }

        // Work every action out first: nothing is written unless all of them can be.
        var plans: [WritePlan?] = []
        var reasons: [Document] = []
        var refs = Set<ItemRef>()
        for (i, action) in input.actions.enumerated() {
            let prefix = "TransactItems[\(i)].\(action.kind)."
            do {
                let plan: WritePlan
                switch action {
                case .put(let put): plan = try planPut(put, prefix: prefix)
                case .update(let update): plan = try planUpdate(update, prefix: prefix)
                case .delete(let delete): plan = try planDelete(delete, prefix: prefix)
                case .conditionCheck(let check): plan = try planConditionCheck(check, prefix: prefix)
                }
                guard refs.insert(ItemRef(table: plan.table.name, key: plan.key)).inserted else {
                    throw AWSError.validation("Transaction request cannot include multiple operations on one item")
                }
                plans.append(plan)
                if inFlightTransaction(on: plan.table, plan.key) {
                    reasons.append(["Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"])
                } else {
                    reasons.append(["Code": "None"])
                }
            } catch let failure as ConditionFailed {
                plans.append(nil)
                var reason: [String: Document] = ["Code": "ConditionalCheckFailed", "Message": "The conditional request failed"]
                if action.returnOnConditionFailure == .allOld, let item = failure.item {
                    reason["Item"] = ItemCodec.document(item)
                }
                reasons.append(.map(reason))
            } catch let error as AWSError where error.code == "ValidationException" && !error.message.hasPrefix("1 validation")
                && !error.message.contains("multiple operations") && !error.message.contains("Invalid type")
                && error.message.contains("operand type")
            {
                plans.append(nil)
                reasons.append(["Code": "ValidationError", "Message": .string(error.message)])
            }
        }
        let codes = reasons.compactMap { $0["Code"]?.stringValue }
        if codes.contains(where: { $0 != "None" }) {
            throw AWSError(
                "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons [\(codes.joined(separator: ", "))]",
                fields: ["CancellationReasons": .array(reasons)])
        }
        for case let plan? in plans {
            commit(plan)
            locks[ItemRef(table: plan.table.name, key: plan.key)] = window.end
        }
        if let token = input.clientRequestToken { tokens[token] = (input.fingerprint, now) }
        return [:]
    }

    private func forgetOldTokens() {
        let expired = tokens.filter { now - $0.value.time > Self.tokenLifetime }.map(\.key)
        for token in expired { tokens[token] = nil }
        // A commit older than the longest call can overlap nothing any more.
        if locks.count > 4096 { locks = locks.filter { $0.value > now - .minutes(15) } }
    }

    func transactGetItems(_ request: Document) throws -> Document {
        let p = try Params(request)
        let items = try p.list("TransactItems")
        var responses: [Document] = []
        var reasons: [Document] = []
        var conflict = false
        for (i, entry) in items.enumerated() {
            let ep = try Params(entry)
            let gp = try Params(try ep.map("Get").document)
            let table = try table(named: try gp.string("TableName"))
            let key = try table.primaryKey(of: try ItemCodec.item(try gp.map("Key").document, path: "TransactItems[\(i)].Get.Key"), exact: true)
            let exprs = try RequestExpressions(ExpressionInput(gp), cache: cache)
            if inFlightTransaction(on: table, key) {
                conflict = true
                reasons.append(["Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"])
            } else {
                reasons.append(["Code": "None"])
            }
            if let item = table.items[key] { responses.append(["Item": ItemCodec.document(try exprs.project(item))]) } else {
                responses.append([:])
            }
        }
        if conflict {
            let codes = reasons.compactMap { $0["Code"]?.stringValue }
            throw AWSError(
                "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons [\(codes.joined(separator: ", "))]",
                fields: ["CancellationReasons": .array(reasons)])
        }
        return ["Responses": .array(responses)]
    }
}

extension [String: Document] {
    var document: Document { .map(self) }
}

/// What a lab's check can learn about an account's TransactWriteItems calls.
public struct TransactionCounts: Sendable, Equatable {
    public var calls = 0
    /// Calls that carried a ClientRequestToken.
    public var withToken = 0
    /// Calls whose token had been seen with the same request: answered without writing again.
    public var replayed = 0
}
