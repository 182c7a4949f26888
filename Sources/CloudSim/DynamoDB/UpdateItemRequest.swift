import DocumentModel

/// An UpdateItem request read straight from a function's Lua table, with no document
/// built (LabEngine's reader): the members function code sends, their values as the model
/// types them, and attribute values of the kinds S, N, BOOL and NULL.
///
/// The reader takes nothing it is unsure of: any other member, type or kind, an empty
/// table, a number that is not one, and the request goes the document way instead, which
/// names the problem as before. What is read is checked against the model by
/// ``RequestValidator/conforms(_:_:_:)`` before it runs, and ``document`` gives back the
/// request a document would have been (for the rare paths that read it whole).
package struct UpdateItemRequest {
    package var tableName = ""
    package var key: [(key: String, value: AttributeValue)] = []
    package var update: String?
    package var condition: String?
    package var names: [(key: String, value: String)]?
    package var values: [(key: String, value: AttributeValue)]?
    package var returnValues: String?
    package var returnValuesOnConditionCheckFailure: String?

    package init() {}

    /// The input UpdateItem runs with.
    var input: KeyedItemInput {
        var expressions = ExpressionInput()
        expressions.update = update
        expressions.condition = condition
        expressions.names = names.map { .decoded(PlaceholderMap(entries: $0.map { ($0.key, .string($0.value)) })) }
        expressions.values = values.map { .decoded(PlaceholderMap(entries: $0)) }
        var item = Item(minimumCapacity: key.count)
        for (name, value) in key { item[name] = value }
        let options = WriteOptions(
            tableName: tableName, expressions: expressions,
            returnValues: ReturnValues(returnValues.map { .string($0) }),
            returnOnConditionFailure: ReturnValues(returnValuesOnConditionCheckFailure.map { .string($0) }))
        return KeyedItemInput(key: .decoded(item), options: options)
    }

    /// The request as the document way would have had it.
    var document: Document {
        var members: [String: Document] = ["TableName": .string(tableName), "Key": Self.map(key)]
        members["UpdateExpression"] = update.map { .string($0) }
        members["ConditionExpression"] = condition.map { .string($0) }
        members["ExpressionAttributeNames"] = names.map { entries in
            .map(Dictionary(entries.map { ($0.key, Document.string($0.value)) }, uniquingKeysWith: { first, _ in first }))
        }
        members["ExpressionAttributeValues"] = values.map { Self.map($0) }
        members["ReturnValues"] = returnValues.map { .string($0) }
        members["ReturnValuesOnConditionCheckFailure"] = returnValuesOnConditionCheckFailure.map { .string($0) }
        return .map(members)
    }

    private static func map(_ entries: [(key: String, value: AttributeValue)]) -> Document {
        .map(Dictionary(entries.map { ($0.key, Document(writing: $0.value)) }, uniquingKeysWith: { first, _ in first }))
    }
}
