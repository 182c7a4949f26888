import CloudSim
import DocumentModel
import Testing

/// A fresh account with a table `T` (key `id` S) whose stream shows both images.
func accountWithTable(seed: UInt64 = 1, sortKey: Bool = false) throws -> CloudAccount {
    let account = CloudAccount(seed: seed)
    var definitions: [Document] = [["AttributeName": "id", "AttributeType": "S"]]
    var schema: [Document] = [["AttributeName": "id", "KeyType": "HASH"]]
    if sortKey {
        definitions.append(["AttributeName": "n", "AttributeType": "N"])
        schema.append(["AttributeName": "n", "KeyType": "RANGE"])
    }
    _ = try account.call(
        "dynamodb", "CreateTable",
        [
            "TableName": "Tbl", "AttributeDefinitions": .array(definitions), "KeySchema": .array(schema),
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": ["StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"],
        ])
    return account
}

extension CloudAccount {
    func ddb(_ operation: String, _ request: Document) throws -> Document { try call("dynamodb", operation, request) }

    func item(_ id: String, table: String = "Tbl") throws -> Document? {
        try ddb("GetItem", ["TableName": .string(table), "Key": ["id": ["S": .string(id)]]])["Item"]
    }

    /// Every record on every shard of table T's stream.
    func streamRecords(table: String = "Tbl") -> [StreamRecord] {
        guard let stream = dynamodb.tables[table]?.stream else { return [] }
        return stream.shards.flatMap { shard in Array(shard.records(from: shard.firstIndex, limit: Int.max)) }
    }
}

/// Expects an AWSError with this code (and message fragment, if given).
func expectAWSError(
    _ code: String, _ fragment: String? = nil, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(code)", sourceLocation: sourceLocation)
    } catch let error as AWSError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let fragment { #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}
