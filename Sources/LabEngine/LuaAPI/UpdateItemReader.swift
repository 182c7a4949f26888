import CloudSim
import LuaBridge

// A function's UpdateItem table read straight into its input (CloudSim's UpdateItemRequest),
// with no document built: function code sends one per message. It lives here, beside the
// Lua view it reads, so that CloudSim needs no Lua.
extension UpdateItemRequest {
    /// Reads a request table; nil sends it the document way.
    init?(reading view: LuaValueView) {
        self.init()
        var hasTable = false
        var hasKey = false
        let complete = view.forEachMember { member, value in
            // Takes a string member into `slot`: the same texts call after call.
            func text(_ slot: inout String?) -> Bool {
                slot = value.recurringText
                return slot != nil
            }
            // By length first: a string switch compares the candidates one after another.
            switch member.utf8.count {
            case 9 where member == "TableName":
                guard let text = value.recurringText else { return false }
                (tableName, hasTable) = (text, true)
            case 3 where member == "Key":
                // An empty attribute name is refused by the document way (`ItemCodec.item`).
                guard let attributes = Self.attributes(value, emptyNames: false) else { return false }
                (key, hasKey) = (attributes, true)
            case 16 where member == "UpdateExpression": return text(&update)
            case 19 where member == "ConditionExpression": return text(&condition)
            case 24 where member == "ExpressionAttributeNames":
                var entries: [(key: String, value: String)] = []
                entries.reserveCapacity(4)
                guard value.forEachMember({ name, text in
                    guard let text = text.recurringText else { return false }
                    entries.append((name, text))
                    return true
                }) else { return false }
                names = entries
            case 25 where member == "ExpressionAttributeValues":
                values = Self.attributes(value, emptyNames: true)
                return values != nil
            case 12 where member == "ReturnValues": return text(&returnValues)
            case 35 where member == "ReturnValuesOnConditionCheckFailure": return text(&returnValuesOnConditionCheckFailure)
            default: return false
            }
            return true
        }
        guard complete, hasTable, hasKey else { return nil }
    }

    /// A map of attribute values of the simple kinds, or nil.
    private static func attributes(_ view: LuaValueView, emptyNames: Bool) -> [(key: String, value: AttributeValue)]? {
        var entries: [(key: String, value: AttributeValue)] = []
        // Room for a request's usual few, so the list is not regrown on the way.
        entries.reserveCapacity(4)
        let complete = view.forEachMember { name, value in
            guard emptyNames || !name.isEmpty, let attribute = Self.attribute(value) else { return false }
            entries.append((name, attribute))
            return true
        }
        return complete ? entries : nil
    }

    /// `{S = …}`, `{N = …}`, `{BOOL = …}` or `{NULL = true}`; nil for anything else, for a
    /// number DynamoDB refuses (the document way names it) and for one not in its canonical form.
    private static func attribute(_ view: LuaValueView) -> AttributeValue? {
        var result: AttributeValue?
        var members = 0
        let complete = view.forEachMember { type, value in
            members += 1
            guard members == 1 else { return false }
            switch type {
            case "S": result = value.text.map { .s($0) }
            case "N":
                // Only a number written as DynamoDB writes it back ("7", not "007" or "7.0"): the
                // request's document (an injected error's record, a refused request) keeps the text.
                guard let text = value.text, let number = try? DynamoNumber(text), number.description == text else { return false }
                result = .n(number)
            case "BOOL": result = value.boolean.map { .bool($0) }
            case "NULL": result = value.boolean == true ? .null : nil
            default: return false
            }
            return result != nil
        }
        return complete ? result : nil
    }
}
