import CloudSim
import DocumentModel
import Foundation
import LuaBridge

/// The cost of crossing between Lua and Swift with the documents the pipeline moves.
func conversionBenchmarks() throws {
    let lua = try LuaState()
    let identity = try lua.load("return ...", chunkName: "=identity")
    let request: Document = [
        "TableName": "StateTable", "Key": ["id": ["S": "8a6f0f0e-1c3e-4c1e-9a55-0d2c9b9d1f00"]],
        "UpdateExpression": "SET #value = :value, #version = :version, #hierarchy = :hierarchy, #timestamp = :timestamp",
        "ExpressionAttributeNames": ["#value": "Value", "#version": "Version", "#hierarchy": "Hierarchy", "#timestamp": "Timestamp"],
        "ExpressionAttributeValues": [
            ":value": ["N": "1234.56"], ":version": ["N": "1"],
            ":hierarchy": ["S": "{\"Region\":\"EMEA\",\"RiskType\":\"PV\",\"TradeDesk\":\"FXSpot\"}"], ":timestamp": ["N": "1704067265.5"],
        ],
    ]
    try measure("lua round trip of an UpdateItem request", iterations: 100_000) { _ in _ = try lua.call(identity, [request]) }
    let record: Document = [
        "eventID": "0123456789abcdef0123456789abcdef", "eventName": "MODIFY", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
        "awsRegion": "us-west-2", "eventSourceARN": "arn:aws:dynamodb:us-west-2:123456789012:table/StateTable/stream/2024-01-01T00:00:00.000",
        "dynamodb": [
            "Keys": ["id": ["S": "8a6f0f0e-1c3e-4c1e-9a55-0d2c9b9d1f00"]], "SequenceNumber": "100000100000000000000", "SizeBytes": 200,
            "StreamViewType": "NEW_AND_OLD_IMAGES", "ApproximateCreationDateTime": 1704067265,
            "NewImage": ["id": ["S": "x"], "Value": ["N": "1.5"], "Version": ["N": "2"], "Hierarchy": ["S": "{}"], "Timestamp": ["N": "1"]],
            "OldImage": ["id": ["S": "x"], "Value": ["N": "1.5"], "Version": ["N": "1"], "Hierarchy": ["S": "{}"], "Timestamp": ["N": "1"]],
        ],
    ]
    let event = Document.map(["Records": .array(Array(repeating: record, count: 1000))])
    let count = try lua.load("local e = ... return #e.Records", chunkName: "=count")
    try measure("push a stream event of 1,000 records", iterations: 100) { _ in _ = try lua.call(count, [event]) }
    let json = try lua.load("local s = ... return json and json.decode(s)", chunkName: "=json")
    _ = json
    let account = CloudAccount()
    _ = try account.call("dynamodb", "CreateTable", [
        "TableName": "StateTable", "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
        "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]],
        "StreamSpecification": ["StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"],
    ])
    try measure("dynamodb UpdateItem, the StateLambda request", iterations: 100_000) { _ in
        _ = try account.call("dynamodb", "UpdateItem", request)
    }
    // Lab 2's request: the same write, conditional on the version; alternate ids so half
    // the calls insert and half find an older version.
    var conditional = request.mapValue ?? [:]
    conditional["ConditionExpression"] = "attribute_not_exists(id) OR #version < :version"
    let requests: [Document] = (0..<1000).map { i in
        var r = conditional
        r["Key"] = ["id": ["S": .string("trade-\(i)")]]
        return .map(r)
    }
    try measure("dynamodb UpdateItem, lab 2's conditional request", iterations: 200_000) { i in
        var r = requests[i % 1000]
        if i >= 1000, case .map(var m) = r, case .map(var values)? = m["ExpressionAttributeValues"] {
            values[":version"] = ["N": .string(String(i / 1000 + 1))]
            m["ExpressionAttributeValues"] = .map(values)
            r = .map(m)
        }
        _ = try account.call("dynamodb", "UpdateItem", r)
    }
}
