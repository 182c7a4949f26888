import CloudSim
import DocumentModel
import Testing

@Suite struct TransactionTests {
    func add(_ key: String, _ value: String = "1") -> Document {
        ["Update": ["TableName": "Tbl", "Key": ["id": ["S": .string(key)]], "UpdateExpression": "ADD #v :v", "ExpressionAttributeNames": ["#v": "Value"], "ExpressionAttributeValues": [":v": ["N": .string(value)]]]]
    }

    func value(_ a: CloudAccount, _ key: String) throws -> Document? { try a.item(key)?["Value"] }

    @Test func allOrNothing() throws {
        let a = try accountWithTable()
        let failing: Document = ["ConditionCheck": ["TableName": "Tbl", "Key": ["id": ["S": "guard"]], "ConditionExpression": "attribute_exists(id)"]]
        do {
            _ = try a.ddb("TransactWriteItems", ["TransactItems": [add("x"), failing]])
            Issue.record("expected a cancellation")
        } catch let error as AWSError {
            #expect(error.code == "TransactionCanceledException")
            #expect(error.message.contains("[None, ConditionalCheckFailed]"))
            #expect(error.fields["CancellationReasons"]?.arrayValue?.map { $0["Code"] } == ["None", "ConditionalCheckFailed"])
        }
        #expect(try value(a, "x") == nil)
        #expect(a.streamRecords().isEmpty)
        _ = try a.ddb("TransactWriteItems", ["TransactItems": [add("x"), add("y", "2.5")]])
        #expect(try value(a, "y") == ["N": "2.5"])
    }

    @Test func oneItemTwiceIsRejected() throws {
        let a = try accountWithTable()
        expectAWSError("ValidationException", "multiple operations on one item") {
            _ = try a.ddb("TransactWriteItems", ["TransactItems": [add("x"), add("x")]])
        }
    }

    @Test func tokenIsIdempotentForTenMinutes() throws {
        let a = try accountWithTable()
        let request: Document = ["TransactItems": [add("x")], "ClientRequestToken": "token-1"]
        _ = try a.ddb("TransactWriteItems", request)
        a.scheduler.run(until: a.scheduler.now + .seconds(9 * 60 + 59))
        _ = try a.ddb("TransactWriteItems", request)
        #expect(try value(a, "x") == ["N": "1"])
        a.scheduler.run(until: a.scheduler.now + .seconds(2))
        _ = try a.ddb("TransactWriteItems", request)
        #expect(try value(a, "x") == ["N": "2"])
    }

    @Test func sameTokenDifferentRequestIsAMismatch() throws {
        let a = try accountWithTable()
        _ = try a.ddb("TransactWriteItems", ["TransactItems": [add("x")], "ClientRequestToken": "t"])
        expectAWSError("IdempotentParameterMismatchException") {
            _ = try a.ddb("TransactWriteItems", ["TransactItems": [add("x", "2")], "ClientRequestToken": "t"])
        }
        #expect(try value(a, "x") == ["N": "1"])
    }

    /// "Operation was rejected because there is an ongoing transaction for the item"
    /// (TransactionConflictException; https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html):
    /// a transaction that has returned is no longer ongoing. Before the fix, its items stayed
    /// locked for its latency after it returned, so the caller's own next call conflicted.
    @Test func aTransactionThatReturnedHoldsNoLock() throws {
        let a = try accountWithTable()
        _ = try a.ddb("TransactWriteItems", ["TransactItems": [add("x")]])
        _ = try a.ddb("PutItem", ["TableName": "Tbl", "Item": ["id": ["S": "x"], "Value": ["N": "5"]]])
        _ = try a.ddb("TransactGetItems", ["TransactItems": [["Get": ["TableName": "Tbl", "Key": ["id": ["S": "x"]]]]]])
        _ = try a.ddb("TransactWriteItems", ["TransactItems": [add("y"), add("x")]])
        #expect(try value(a, "x") == ["N": "6"])
    }

    /// Calls whose windows overlap a transaction's conflict with it: the later one to finish
    /// is cancelled (TransactWriteItems, TransactGetItems) or refused (PutItem).
    @Test func callsInFlightWhileATransactionRanConflict() throws {
        let a = try accountWithTable()
        let ms = { (n: Int64) in VirtualTime(micros: n * 1000) }
        let transact = try a.descriptor("dynamodb", "TransactWriteItems")
        let put = try a.descriptor("dynamodb", "PutItem")
        a.scheduler.run(until: ms(15))
        _ = try a.call(transact, ["TransactItems": [add("x")]], during: CallWindow(start: ms(0), end: ms(15)))
        a.scheduler.run(until: ms(20))
        do {
            _ = try a.call(transact, ["TransactItems": [add("y"), add("x")]], during: CallWindow(start: ms(5), end: ms(20)))
            Issue.record("expected a conflict")
        } catch let error as AWSError {
            #expect(error.code == "TransactionCanceledException")
            #expect(error.fields["CancellationReasons"]?.arrayValue?.map { $0["Code"] } == ["None", "TransactionConflict"])
        }
        expectAWSError("TransactionConflictException") {
            _ = try a.call(put, ["TableName": "Tbl", "Item": ["id": ["S": "x"]]], during: CallWindow(start: ms(14), end: ms(20)))
        }
        // Sent when the first had returned: no conflict.
        _ = try a.call(transact, ["TransactItems": [add("y"), add("x")]], during: CallWindow(start: ms(15), end: ms(20)))
        #expect(try value(a, "x") == ["N": "2"])
    }

    @Test func decimalSumsAreExact() throws {
        let a = try accountWithTable()
        var random = SeededRandom(seed: 42)
        var expectedCents = 0
        for _ in 0..<10_000 {
            let cents = Int(random.next() % 10_000_001)
            expectedCents += cents
            let text = "\(cents / 100).\(String(cents % 100 + 100).dropFirst())"
            _ = try a.ddb("UpdateItem", ["TableName": "Tbl", "Key": ["id": ["S": "sum"]], "UpdateExpression": "ADD #v :v", "ExpressionAttributeNames": ["#v": "Value"], "ExpressionAttributeValues": [":v": ["N": .string(text)]]])
        }
        let expected = "\(expectedCents / 100).\(String(expectedCents % 100 + 100).dropFirst())"
        let trimmed = expected.hasSuffix("0") ? String(expected.dropLast()) : expected
        let got = try value(a, "sum")?["N"]?.stringValue
        #expect(got == (trimmed.hasSuffix(".") ? String(trimmed.dropLast()) : trimmed))
    }

    @Test func transactGetItems() throws {
        let a = try accountWithTable()
        _ = try a.ddb("TransactWriteItems", ["TransactItems": [add("x")]])
        a.scheduler.run(until: a.scheduler.now + .seconds(1))
        let got = try a.ddb("TransactGetItems", ["TransactItems": [["Get": ["TableName": "Tbl", "Key": ["id": ["S": "x"]]]], ["Get": ["TableName": "Tbl", "Key": ["id": ["S": "none"]]]]]])
        #expect(got["Responses"]?.arrayValue?.first?["Item"]?["Value"] == ["N": "1"])
        #expect(got["Responses"]?.arrayValue?.last == [:])
    }
}
