extension RequestValidator {
    /// Whether an UpdateItem request read straight from Lua satisfies its input shape as
    /// its document would (``conforms(_:_:_:)``): required members, each string's length,
    /// enum and pattern, the maps' sizes and keys, the attribute values' member shapes.
    /// Reading already took only the members and types the shape has.
    func conforms(_ request: UpdateItemRequest, _ input: Shape, _ shapes: [Shape]) -> Bool {
        func member(_ name: String) -> Shape? {
            input.memberIndex(of: name).map { shapes[input.members[$0].shape] }
        }
        func text(_ value: String?, _ name: String) -> Bool {
            guard let value else { return true }
            guard let shape = member(name), shape.kind == .string else { return false }
            return !shape.hasStringConstraints || stringConforms(value, shape)
        }
        func map<Value>(_ entries: [(key: String, value: Value)]?, _ name: String, _ conforms: (Value, Shape) -> Bool) -> Bool {
            guard let entries else { return true }
            guard let shape = member(name), shape.kind == .map, shape.admits(Double(entries.count)),
                let keyID = shape.key, let valueID = shape.value
            else { return false }
            let (keyShape, valueShape) = (shapes[keyID], shapes[valueID])
            return entries.allSatisfy { entry in
                (!keyShape.hasStringConstraints || stringConforms(entry.key, keyShape)) && conforms(entry.value, valueShape)
            }
        }
        func attribute(_ value: AttributeValue, _ union: Shape) -> Bool {
            let type: String
            switch value {
            case .s: type = "S"
            case .n: type = "N"
            case .bool: type = "BOOL"
            case .null: type = "NULL"
            default: return false
            }
            guard union.kind == .structure, let index = union.memberIndex(of: type) else { return false }
            let shape = shapes[union.members[index].shape]
            switch value {
            case .s(let s): return shape.kind == .string && (!shape.hasStringConstraints || stringConforms(s, shape))
            // A number's text as sent is not kept: a constrained number shape is left to the document way.
            case .n: return shape.kind == .string && !shape.hasStringConstraints
            default: return shape.kind == .boolean
            }
        }
        let present = ["TableName", "Key"]
        return input.requiredMembers.allSatisfy { present.contains(input.members[$0].name) }
            && text(request.tableName, "TableName")
            && map(request.key, "Key", attribute)
            && text(request.update, "UpdateExpression")
            && text(request.condition, "ConditionExpression")
            && map(request.names, "ExpressionAttributeNames") { value, shape in
                shape.kind == .string && (!shape.hasStringConstraints || stringConforms(value, shape))
            }
            && map(request.values, "ExpressionAttributeValues", attribute)
            && text(request.returnValues, "ReturnValues")
            && text(request.returnValuesOnConditionCheckFailure, "ReturnValuesOnConditionCheckFailure")
    }
}
