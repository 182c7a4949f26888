import CloudSim
import DocumentModel
import Testing

/// Of several things wrong in one request, the one named (or the order they are listed in) is
/// the same in every process. A dictionary's order is its process's own (Swift seeds its
/// hashing per process), so each check runs over twelve pairs of names: an order other than
/// by name would show in all but one process in 4,096.
@Suite struct DeterministicErrorTests {
    let a: CloudAccount

    init() throws { a = try accountWithTable() }

    @Test func ofTwoRefusedAttributesTheFirstByNameIsReported() {
        for i in 0..<12 {
            let (x, y) = ("a\(i)", "b\(i)")
            expectAWSError("ValidationException", "may not be empty") {
                _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "1"], .init(stringLiteral: x): ["SS": []], .init(stringLiteral: y): ["N": "not a number"]]])
            }
            expectAWSError("ValidationException", "numeric value") {
                _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "1"], .init(stringLiteral: x): ["N": "not a number"], .init(stringLiteral: y): ["SS": []]]])
            }
            // Inside a map attribute too.
            expectAWSError("ValidationException", "may not be empty") {
                _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "1"], "m": ["M": [.init(stringLiteral: x): ["SS": []], .init(stringLiteral: y): ["N": "not a number"]]]]])
            }
        }
    }

    @Test func severalValidationErrorsAreListedByKey() throws {
        var values: [String: Document] = [:]
        for i in 0..<12 { values[":v\(i < 10 ? "0" : "")\(i)"] = ["S": .int(Int64(i))] }
        let actions = values.keys.sorted().enumerated().map { "a\($0.offset) = \($0.element)" }.joined(separator: ", ")
        do {
            _ = try a.ddb(
                "UpdateItem",
                ["TableName": "Tbl", "Key": ["id": ["S": "1"]], "UpdateExpression": .string("SET " + actions), "ExpressionAttributeValues": .map(values)])
            Issue.record("expected ParamValidationError")
        } catch let error as AWSError {
            #expect(error.code == "ParamValidationError")
            let named = error.message.split(separator: "\n").compactMap { line in
                line.split(separator: " ").first { $0.hasPrefix("ExpressionAttributeValues.") }.map(String.init)
            }
            #expect(named.count == 12, "\(error.message)")
            #expect(named == named.sorted(), "\(error.message)")
        }
    }

    @Test func ofTwoMalformedPrincipalsTheFirstByKeyIsNamed() {
        for i in 0..<12 {
            let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"X\#(i)":5,"Y\#(i)":6},"Action":"sqs:SendMessage","Resource":"*"}]}"#
            expectAWSError("MalformedPolicyDocumentException", "X\(i) must be") { _ = try PolicyDocument(text: text, kind: .resource) }
        }
    }
}
