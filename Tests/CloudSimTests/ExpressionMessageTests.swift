import CloudSim
import DocumentModel
import Testing

/// DynamoDB's ValidationException texts for broken expressions, word for word (#10 item 7).
/// The texts are the ones DynamoDB returns, as quoted in SDK issues (e.g.
/// https://github.com/aws/aws-sdk-go-v2/issues/285 for an undefined name,
/// https://github.com/aws/aws-sdk-js-v3/issues/7171 for an operand type); the document path
/// rule is https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html.
@Suite struct ExpressionMessageTests {
    let a: CloudAccount

    init() throws {
        a = try accountWithTable()
        _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "k"], "n": ["N": "1"], "m": ["M": ["x": ["N": "1"]]]]])
    }

    func message(_ fields: [String: Document]) -> String {
        var request: [String: Document] = ["TableName": "Tbl", "Key": ["id": ["S": "k"]]]
        for (k, v) in fields { request[k] = v }
        do {
            _ = try a.ddb("UpdateItem", .map(request))
            return "no error"
        } catch let error as AWSError {
            return "\(error.code): \(error.message)"
        } catch {
            return "\(error)"
        }
    }

    @Test func aNestedPathWhoseParentIsMissingIsInvalidForUpdate() {
        let invalid = "ValidationException: The document path provided in the update expression is invalid for update"
        #expect(message(["UpdateExpression": "REMOVE nope.child"]) == invalid)
        #expect(message(["UpdateExpression": "SET nope.child = :v", "ExpressionAttributeValues": [":v": ["N": "1"]]]) == invalid)
        #expect(message(["UpdateExpression": "REMOVE n.child"]) == invalid, "a number has no members")
        #expect(message(["UpdateExpression": "REMOVE m.absent"]) == "no error", "removing a missing last step changes nothing")
        #expect(message(["UpdateExpression": "REMOVE gone"]) == "no error")
    }

    @Test func undefinedPlaceholdersNameTheirExpression() {
        #expect(message(["UpdateExpression": "SET #x = :v", "ExpressionAttributeValues": [":v": ["N": "1"]]])
            == "ValidationException: Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #x")
        #expect(message(["UpdateExpression": "SET n = :v", "ConditionExpression": "n = :missing", "ExpressionAttributeValues": [":v": ["N": "1"]]])
            == "ValidationException: Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing")
    }

    @Test func emptyPlaceholderMapsAreRefused() {
        #expect(message(["UpdateExpression": "SET n = n", "ExpressionAttributeValues": [:]]) == "ValidationException: ExpressionAttributeValues must not be empty")
        #expect(message(["UpdateExpression": "SET n = n", "ExpressionAttributeNames": [:]]) == "ValidationException: ExpressionAttributeNames must not be empty")
    }

    @Test func aFunctionWithTheWrongNumberOfOperands() {
        #expect(message(["UpdateExpression": "SET n = if_not_exists(n)"])
            == "ValidationException: Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1")
        #expect(message(["UpdateExpression": "SET n = n", "ConditionExpression": "attribute_exists(n, m)"])
            == "ValidationException: Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2")
        #expect(message(["UpdateExpression": "SET n = n", "ConditionExpression": "attribute_exists(:v)", "ExpressionAttributeValues": [":v": ["N": "1"]]])
            == "ValidationException: Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists")
    }

    @Test func anOperandOfTheWrongType() {
        #expect(message(["UpdateExpression": "SET n = n + :s", "ExpressionAttributeValues": [":s": ["S": "x"]]])
            == "ValidationException: An operand in the update expression has an incorrect data type")
        #expect(message(["UpdateExpression": "SET n = list_append(m, :l)", "ExpressionAttributeValues": [":l": ["L": []]]])
            == "ValidationException: Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: M")
        #expect(message(["UpdateExpression": "SET n = n", "ConditionExpression": "begins_with(n, :v)", "ExpressionAttributeValues": [":v": ["N": "1"]]])
            == "ValidationException: Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")
    }
}
