import CloudSim
import DocumentModel
import Testing

@Suite struct QueryScanTests {
    func filled() throws -> CloudAccount {
        let a = try accountWithTable(sortKey: true)
        for id in ["a", "b"] {
            for n in 1...5 {
                _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": .string(id)], "n": ["N": .string(String(n))], "odd": ["BOOL": .bool(n % 2 == 1)]]])
            }
        }
        return a
    }

    @Test func queryBySortKeyRangeInOrder() throws {
        let a = try filled()
        let result = try a.ddb("Query", ["TableName": "Tbl", "KeyConditionExpression": "id = :id AND n BETWEEN :lo AND :hi", "ExpressionAttributeValues": [":id": ["S": "a"], ":lo": ["N": "2"], ":hi": ["N": "4"]], "ScanIndexForward": false])
        #expect(result["Items"]?.arrayValue?.map { $0["n"] } == [["N": "4"], ["N": "3"], ["N": "2"]])
        #expect(result["Count"] == 3)
    }

    @Test func queryNeedsThePartitionKey() throws {
        let a = try filled()
        expectAWSError("ValidationException", "missed key schema element") {
            _ = try a.ddb("Query", ["TableName": "Tbl", "KeyConditionExpression": "n = :n", "ExpressionAttributeValues": [":n": ["N": "1"]]])
        }
    }

    @Test func scanPaginatesWithLimitAndFilter() throws {
        let a = try filled()
        var start: Document?
        var seen: [Document] = []
        var pages = 0
        repeat {
            var request: [String: Document] = ["TableName": "Tbl", "Limit": 3, "FilterExpression": "odd = :t", "ExpressionAttributeValues": [":t": ["BOOL": true]]]
            if let start { request["ExclusiveStartKey"] = start }
            let page = try a.ddb("Scan", .map(request))
            #expect(page["ScannedCount"]?.intValue ?? 0 <= 3)
            seen += page["Items"]?.arrayValue ?? []
            start = page["LastEvaluatedKey"]
            pages += 1
        } while start != nil && pages < 10
        #expect(seen.count == 6)
        #expect(pages == 4)
    }

    @Test func batchWriteAndGet() throws {
        let a = try accountWithTable()
        _ = try a.ddb("BatchWriteItem", ["RequestItems": ["Tbl": [["PutRequest": ["Item": ["id": ["S": "x"]]]], ["PutRequest": ["Item": ["id": ["S": "y"]]]]]]])
        let got = try a.ddb("BatchGetItem", ["RequestItems": ["Tbl": ["Keys": [["id": ["S": "x"]], ["id": ["S": "y"]], ["id": ["S": "z"]]]]]])
        #expect(got["Responses"]?["Tbl"]?.arrayValue?.count == 2)
        expectAWSError("ValidationException", "duplicates") {
            _ = try a.ddb("BatchWriteItem", ["RequestItems": ["Tbl": [["PutRequest": ["Item": ["id": ["S": "x"]]]], ["DeleteRequest": ["Key": ["id": ["S": "x"]]]]]]])
        }
        let many = Document.array((0..<26).map { ["PutRequest": ["Item": ["id": ["S": .string("k\($0)")]]]] })
        expectAWSError("ValidationException", "25") { _ = try a.ddb("BatchWriteItem", ["RequestItems": ["Tbl": many]]) }
        #expect(a.dynamodb.tables["Tbl"]?.itemCount == 2)
    }
}
