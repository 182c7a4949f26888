import Foundation
import CloudSim
import DocumentModel
import Testing

@Suite struct DynamoDBItemTests {
    @Test func putGetDeleteRoundTrip() throws {
        let a = try accountWithTable()
        let item: Document = [
            "id": ["S": "a"], "n": ["N": "1.50"], "b": ["B": .bytes([0, 255])], "t": ["BOOL": true], "z": ["NULL": true],
            "m": ["M": ["x": ["S": "y"]]], "l": ["L": [["N": "1"], ["S": "s"]]], "ss": ["SS": ["b", "a"]],
            "ns": ["NS": ["2", "1"]], "bs": ["BS": [.bytes([1])]],
        ]
        _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": item])
        let got = try #require(try a.item("a"))
        #expect(got["n"] == ["N": "1.5"])
        #expect(got["ss"] == ["SS": ["a", "b"]])
        #expect(got["b"] == ["B": .bytes([0, 255])])
        #expect(got["m"] == ["M": ["x": ["S": "y"]]])
        let deleted = try a.ddb("DeleteItem", ["TableName": "Tbl", "Key": ["id": ["S": "a"]], "ReturnValues": "ALL_OLD"])
        #expect(deleted["Attributes"]?["id"] == ["S": "a"])
        #expect(try a.item("a") == nil)
    }

    @Test func badParametersAreValidationErrorsAndChangeNothing() throws {
        let a = try accountWithTable()
        expectAWSError("ResourceNotFoundException") { _ = try a.ddb("GetItem", ["TableName": "Nope", "Key": ["id": ["S": "x"]]]) }
        expectAWSError("ValidationException", "Missing the key id") { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["x": ["S": "1"]]]) }
        expectAWSError("ValidationException", "Type mismatch") { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["N": "1"]]]) }
        expectAWSError("ValidationException", "empty string") { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": ""]]]) }
        expectAWSError("ValidationException", "Member must not be null") { _ = try a.ddb("PutItem", ["TableName": "Tbl"]) }
        expectAWSError("ParamValidationError", "Unknown parameter in input: \"Itme\"") { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "1"]], "Itme": 1]) }
        expectAWSError("ValidationException", "duplicates") { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "1"], "s": ["SS": ["a", "a"]]]]) }
        expectAWSError("ValidationException", "does not match the schema") {
            _ = try a.ddb("GetItem", ["TableName": "Tbl", "Key": ["id": ["S": "1"], "other": ["S": "x"]]])
        }
        #expect(a.streamRecords().isEmpty)
        #expect(a.dynamodb.tables["Tbl"]?.itemCount == 0)
    }

    @Test func numbersValidatePrecisionAndRange() throws {
        let a = try accountWithTable()
        func put(_ n: String) throws { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "n"], "v": ["N": .string(n)]]]) }
        try put("12345678901234567890123456789012345678")
        try put("-0.00000000000000000000000000000000000001")
        try put("9.9999999999999999999999999999999999999E+125")
        expectAWSError("ValidationException", "38 significant digits") { try put("123456789012345678901234567890123456789") }
        expectAWSError("ValidationException", "overflow") { try put("1E+126") }
        expectAWSError("ValidationException", "numeric") { try put("12abc") }
        expectAWSError("ParamValidationError", "Invalid type for parameter Item.v.N, value: 5, type: number, valid types: string") {
            _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "n"], "v": ["N": 5]]])
        }
    }

    @Test(arguments: [
        "0", "-0", "000.000", "1.50", "-1.5", "1234.56", "0.05", "-0.00012", "3e5", "1.2E-3", "-12.5e1", "100",
        "1699999990.123", "12345678901234567890123456789012345678", "-0.00000000000000000000000000000000000001",
        "9.9999999999999999999999999999999999999E+125", "1e-128", "0.1e2", "123456789012345678901.5",
        ".5", "00.5", "0.0", "+1", "1.", "-0.0", "-0.50", "0.5", "10.01", "-100", "007", "1.0e0",
    ])
    func numbersKeepTheCanonicalTextOfTheirValue(text: String) throws {
        let number = try DynamoNumber(text)
        #expect(number.description == number.decimal.description)
        #expect(number == (try DynamoNumber(decimal: number.decimal)))
    }

    @Test func conditionFailureWritesNothingAndCanReturnTheItem() throws {
        let a = try accountWithTable()
        _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "a"], "v": ["N": "1"]]])
        let before = a.streamRecords().count
        do {
            _ = try a.ddb(
                "PutItem",
                ["TableName": "Tbl", "Item": ["id": ["S": "a"], "v": ["N": "2"]], "ConditionExpression": "attribute_not_exists(id)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD"])
            Issue.record("expected a failure")
        } catch let error as AWSError {
            #expect(error.code == "ConditionalCheckFailedException")
            #expect(error.message == "The conditional request failed")
            #expect(error.fields["Item"]?["v"] == ["N": "1"])
        }
        #expect(try a.item("a")?["v"] == ["N": "1"])
        #expect(a.streamRecords().count == before)
    }

    @Test func updateItemReturnValues() throws {
        let a = try accountWithTable()
        _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "a"], "v": ["N": "1"], "w": ["S": "keep"]]])
        func update(_ mode: String) throws -> Document? {
            try a.ddb(
                "UpdateItem",
                ["TableName": "Tbl", "Key": ["id": ["S": "a"]], "UpdateExpression": "SET v = v + :one",
                    "ExpressionAttributeValues": [":one": ["N": "1"]], "ReturnValues": .string(mode)])["Attributes"]
        }
        #expect(try update("UPDATED_OLD") == ["v": ["N": "1"]])
        #expect(try update("UPDATED_NEW") == ["v": ["N": "3"]])
        #expect(try update("ALL_NEW")?["w"] == ["S": "keep"])
        #expect(try update("ALL_OLD")?["v"] == ["N": "4"])
        #expect(try update("NONE") == nil)
    }

    /// UPDATED_NEW returns each attribute an update touched once, however many paths went into it.
    @Test func updatedNewNamesEachTouchedAttributeOnce() throws {
        let a = try accountWithTable()
        _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "a"], "m": ["M": ["x": ["N": "1"]]], "w": ["S": "keep"]]])
        let attributes = try a.ddb(
            "UpdateItem",
            ["TableName": "Tbl", "Key": ["id": ["S": "a"]], "UpdateExpression": "SET m.y = :two, m.z = :two, v = :two",
                "ExpressionAttributeValues": [":two": ["N": "2"]], "ReturnValues": "UPDATED_NEW"])["Attributes"]
        // (Whether AWS returns all of `m` or only its updated members is not documented; labengine returns all of it.)
        #expect(attributes?.mapValue.map { Array($0.keys).sorted() } == ["m", "v"])
        #expect(attributes?["v"] == ["N": "2"])
    }

    @Test func updateCreatesMissingItems() throws {
        let a = try accountWithTable()
        _ = try a.ddb(
            "UpdateItem",
            ["TableName": "Tbl", "Key": ["id": ["S": "new"]], "UpdateExpression": "ADD c :one", "ExpressionAttributeValues": [":one": ["N": "1"]]])
        #expect(try a.item("new") == ["id": ["S": "new"], "c": ["N": "1"]])
    }

    @Test func keyAttributesCannotBeUpdated() throws {
        let a = try accountWithTable()
        expectAWSError("ValidationException", "part of the key") {
            _ = try a.ddb("UpdateItem", ["TableName": "Tbl", "Key": ["id": ["S": "a"]], "UpdateExpression": "SET id = :v", "ExpressionAttributeValues": [":v": ["S": "b"]]])
        }
    }

    @Test func tableLifecycleAndDescribe() throws {
        let a = try accountWithTable()
        let description = try a.ddb("DescribeTable", ["TableName": "Tbl"])["Table"]
        #expect(description?["TableArn"] == "arn:aws:dynamodb:us-west-2:123456789012:table/Tbl")
        let streamArn = try #require(description?["LatestStreamArn"]?.stringValue)
        #expect(streamArn.hasPrefix("arn:aws:dynamodb:us-west-2:123456789012:table/Tbl/stream/"))
        #expect(description?["StreamSpecification"] == ["StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"])
        expectAWSError("ResourceInUseException") {
            _ = try a.ddb("CreateTable", ["TableName": "Tbl", "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]], "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]]])
        }
        #expect(try a.ddb("ListTables", [:])["TableNames"] == ["Tbl"])
        _ = try a.ddb("UpdateTable", ["TableName": "Tbl", "StreamSpecification": ["StreamEnabled": false]])
        #expect(try a.ddb("DescribeTable", ["TableName": "Tbl"])["Table"]?["StreamSpecification"] == ["StreamEnabled": false])
        _ = try a.ddb("DeleteTable", ["TableName": "Tbl"])
        expectAWSError("ResourceNotFoundException") { _ = try a.ddb("DescribeTable", ["TableName": "Tbl"]) }
    }

    @Test func itemCountIsLive() throws {
        let a = try accountWithTable()
        for i in 0..<3 { _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": .string("k\(i)")]]]) }
        #expect(try a.ddb("DescribeTable", ["TableName": "Tbl"])["Table"]?["ItemCount"] == 3)
    }
}
