// Throughput benchmarks (not tests): run with `make bench` (release build).
// Wall-clock time is read here, outside the simulation, only to measure it.
import CloudSim
import DocumentModel
import Foundation
import LuaBridge

/// Runs `body` `iterations` times and prints nanoseconds per operation; one iteration is
/// `perOperation` operations (records of a batch, say). Returns the nanoseconds per operation.
@discardableResult
func measure(_ name: String, iterations: Int, perOperation: Int = 1, _ body: (Int) throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    for i in 0..<iterations { try body(i) }
    let elapsed = clock.now - start
    let nanos = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    let perOp = nanos / Double(iterations * perOperation)
    print(String(format: "%-44@ %10.0f ns/op  %12.0f ops/s  (%d ops)", name as NSString, perOp, 1e9 / perOp, iterations * perOperation))
    return perOp
}

func table(_ account: CloudAccount, _ name: String, stream: Bool) throws {
    var request: [String: Document] = [
        "TableName": .string(name), "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
        "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]], "BillingMode": "PAY_PER_REQUEST",
    ]
    if stream { request["StreamSpecification"] = ["StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"] }
    _ = try account.call("dynamodb", "CreateTable", .map(request))
}

func cloudBenchmarks() throws {
    let account = CloudAccount()
    try table(account, "StateTable", stream: true)
    try table(account, "AggregateTable", stream: false)
    // The workshop's StateLambda write: conditional on the version.
    try measure("dynamodb UpdateItem with condition", iterations: 100_000) { i in
        _ = try account.call(
            "dynamodb", "UpdateItem",
            [
                "TableName": "StateTable", "Key": ["id": ["S": .string("trade-\(i % 20_000)")]],
                "UpdateExpression": "SET #value = :value, #version = :version, #hierarchy = :hierarchy, #ts = :ts",
                "ConditionExpression": "attribute_not_exists(id) OR #version < :version",
                "ExpressionAttributeNames": ["#value": "Value", "#version": "Version", "#hierarchy": "Hierarchy", "#ts": "Timestamp"],
                "ExpressionAttributeValues": [
                    ":value": ["N": "1234.56"], ":version": ["N": .string(String(i / 20_000 + 1))],
                    ":hierarchy": ["S": "{\"RiskType\":\"PV\",\"Region\":\"EMEA\",\"TradeDesk\":\"FXSpot\"}"],
                    ":ts": ["N": "1700000000.5"],
                ],
            ])
    }
    // The workshop's ReduceLambda write: 19 ADDs in one transaction (18 aggregates + message_count).
    var keys = ["message_count", "PV", "Delta"]
    for risk in ["PV", "Delta"] {
        for desk in ["FXSpot", "FXOptions"] {
            keys.append("\(risk):\(desk)")
            for region in ["EMEA", "APAC", "AMER"] { keys.append("\(risk):\(desk):\(region)") }
        }
    }
    try measure("dynamodb TransactWriteItems (19 updates)", iterations: 20_000) { i in
        let items: [Document] = keys.prefix(19).map { key -> Document in
            let update: Document = [
                    "TableName": "AggregateTable", "Key": ["id": ["S": .string(key)]], "UpdateExpression": "ADD #v :v",
                    "ExpressionAttributeNames": ["#v": "Value"], "ExpressionAttributeValues": [":v": ["N": "12.34"]],
                ]
            return ["Update": update]
        }
        _ = try account.call("dynamodb", "TransactWriteItems", ["TransactItems": .array(items)])
        account.scheduler.run(until: account.scheduler.now + .milliseconds(50))
    }
    _ = try account.call("kinesis", "CreateStream", ["StreamName": "IncomingDataStream", "ShardCount": 20])
    let payload = Document.string(String(repeating: "x", count: 180))
    try measure("kinesis PutRecords (40 records)", iterations: 10_000) { i in
        let records: [Document] = (0..<40).map { j in ["Data": payload, "PartitionKey": .string("key-\(i)-\(j)")] }
        _ = try account.call("kinesis", "PutRecords", ["StreamName": "IncomingDataStream", "Records": .array(records)])
    }
}

// `labengine-bench [labs folder] [--only cloud|conversions|handlers|floor|pipeline|wire|serve|growth]`
let arguments = Array(CommandLine.arguments.dropFirst())
let labs = arguments.enumerated().first { i, argument in
    !argument.hasPrefix("-") && (i == 0 || arguments[i - 1] != "--only")
}?.element ?? "labs"
let only = arguments.firstIndex(of: "--only").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
let groups = ["cloud", "conversions", "handlers", "floor", "pipeline", "wire", "serve", "growth"]
if let only, !groups.contains(only) {
    FileHandle.standardError.write(Data("labengine-bench: unknown group '\(only)' (groups: \(groups.joined(separator: ", ")))\n".utf8))
    exit(2)
}
func wanted(_ group: String) -> Bool { only == nil || only == group }
if wanted("cloud") { try cloudBenchmarks() }
if wanted("conversions") { try conversionBenchmarks() }
if wanted("handlers") {
    try handlerBenchmarks(labs: labs)
    try triggerBenchmark()
}
// The handlers' own Lua per message (StateLambda's and MapLambda's floors added up).
let floor = wanted("floor") || wanted("pipeline") ? try floorBenchmarks(labs: labs) : nil
if wanted("wire") { try wireBenchmarks() }
if wanted("pipeline") {
    for id in ["lab1", "lab2"] {
        let message = try pipelineBenchmark(labs: labs, lab: id)
        if let floor { printEngineShare(lab: id, message: message, handlers: floor) }
    }
}
if wanted("growth") {
    // lab1 enters lab2's phase (duplicates, modifications, failures) after its third minute.
    try growthBenchmark(labs: labs, lab: "lab1", minutes: 20)
    try growthBenchmark(labs: labs, lab: "lab2", minutes: 20)
}
if wanted("serve") {
    try capacityBenchmark(labs: labs)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    if cores > 1 { try capacityBenchmark(labs: labs, threads: cores) }
}
