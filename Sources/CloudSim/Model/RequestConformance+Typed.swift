/// The shapes of UpdateItem's members a typed request has, looked up by name once (a class:
/// as a struct of twelve references, each check retained and released every one of them).
final class UpdateItemShapes {
    let input: ObjectIdentifier
    let tableName, key, update, condition, names, values, returnValues, returnOnFailure: Shape?
    /// Whether the shape requires only TableName and Key, which every typed request has.
    let requiresOnlyTableAndKey: Bool
    /// The attribute value union (the Key map's values) and its members S, N, BOOL and NULL.
    let attribute: ObjectIdentifier?
    let s, n, bool, null: Shape?

    init(_ input: Shape, _ shapes: [Shape]) {
        func member(_ name: String) -> Shape? { input.memberIndex(of: name).map { shapes[input.members[$0].shape] } }
        self.input = ObjectIdentifier(input)
        (tableName, key, update, condition) = (member("TableName"), member("Key"), member("UpdateExpression"), member("ConditionExpression"))
        (names, values) = (member("ExpressionAttributeNames"), member("ExpressionAttributeValues"))
        (returnValues, returnOnFailure) = (member("ReturnValues"), member("ReturnValuesOnConditionCheckFailure"))
        requiresOnlyTableAndKey = input.requiredMembers.allSatisfy { ["TableName", "Key"].contains(input.members[$0].name) }
        let union = key?.value.map { shapes[$0] }
        func kind(_ name: String) -> Shape? { union.flatMap { u in u.memberIndex(of: name).map { shapes[u.members[$0].shape] } } }
        attribute = union.map(ObjectIdentifier.init)
        (s, n, bool, null) = (kind("S"), kind("N"), kind("BOOL"), kind("NULL"))
    }

    /// The member shape of the union `union` for `value`'s kind; nil for other kinds or unions.
    func member(for value: AttributeValue, of union: Shape) -> Shape? {
        guard ObjectIdentifier(union) == attribute else { return nil }
        switch value {
        case .s: return s
        case .n: return n
        case .bool: return bool
        case .null: return null
        default: return nil
        }
    }
}

extension RequestValidator {
    /// Whether an UpdateItem request read straight from Lua satisfies its input shape as
    /// its document would (``conforms(_:_:_:)``): required members, each string's length,
    /// enum and pattern, the maps' sizes and keys, the attribute values' member shapes.
    /// Reading already took only the members and types the shape has.
    func conforms(_ request: UpdateItemRequest, _ input: Shape, _ shapes: [Shape]) -> Bool {
        let members: UpdateItemShapes
        if let kept = updateItemShapes, kept.input == ObjectIdentifier(input) {
            members = kept
        } else {
            members = UpdateItemShapes(input, shapes)
            updateItemShapes = members
        }
        func text(_ value: String?, _ shape: Shape?) -> Bool {
            guard let value else { return true }
            guard let shape, shape.kind == .string else { return false }
            return !shape.hasStringConstraints || stringConforms(value, shape)
        }
        func map<Value>(_ entries: [(key: String, value: Value)]?, _ shape: Shape?, _ conforms: (Value, Shape) -> Bool) -> Bool {
            guard let entries else { return true }
            guard let shape, shape.kind == .map, shape.admits(Double(entries.count)), let keyID = shape.key, let valueID = shape.value
            else { return false }
            let (keyShape, valueShape) = (shapes[keyID], shapes[valueID])
            return entries.allSatisfy { entry in
                (!keyShape.hasStringConstraints || stringConforms(entry.key, keyShape)) && conforms(entry.value, valueShape)
            }
        }
        func attribute(_ value: AttributeValue, _ union: Shape) -> Bool {
            guard let shape = members.member(for: value, of: union) else { return false }
            switch value {
            case .s(let s): return text(s, shape)
            // The reader takes only numbers in canonical form: their text is the text as sent.
            case .n(let n): return text(n.description, shape)
            default: return shape.kind == .boolean
            }
        }
        return members.requiresOnlyTableAndKey
            && text(request.tableName, members.tableName)
            && map(request.key, members.key, attribute)
            && text(request.update, members.update)
            && text(request.condition, members.condition)
            && map(request.names, members.names) { value, shape in text(value, shape) }
            && map(request.values, members.values, attribute)
            && text(request.returnValues, members.returnValues)
            && text(request.returnValuesOnConditionCheckFailure, members.returnOnFailure)
    }
}
