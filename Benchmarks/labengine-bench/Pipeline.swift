import CloudSim
import DocumentModel
import Foundation
import LabEngine

/// Trades per second through Kinesis → StateLambda → StateTable stream → MapLambda →
/// ReduceTable stream → ReduceLambda → AggregateTable, on lab 1's solved world.
func pipelineBenchmark(labs: String, minutes: Int, tradesPerMinute: Int) throws {
    let clock = ContinuousClock()
    let start = clock.now
    let lab = labs + "/lab1"
    let world = World(seed: 1, moduleRoots: [lab])
    try world.runActions(
        source: """
            require("world")(aws, { region = "us-west-2", account = "123456789012",
              code = { StateLambda = "state_lambda.lua", MapLambda = "map_lambda.lua", ReduceLambda = "reduce_lambda.lua" } })
            """, chunkName: "setup.lua", baseDirectory: lab)
    try world.runActions(file: lab + "/solution.lua")
    world.run(for: .seconds(5))
    var random = SeededRandom(seed: 1, stream: "bench")
    let ready = clock.now
    for _ in 0..<minutes {
        var records: [Document] = []
        let now = world.account.scheduler.now.unixSeconds
        for _ in 0..<tradesPerMinute {
            let cents = Int(random.next() % 10_000_001)
            let id = random.uuid()
            let risk = ["PV", "Delta"][Int(random.next() % 2)]
            let desk = ["FXSpot", "FXOptions"][Int(random.next() % 2)]
            let region = ["EMEA", "APAC", "AMER"][Int(random.next() % 3)]
            let json = #"{"Hierarchy":{"Region":"\#(region)","RiskType":"\#(risk)","TradeDesk":"\#(desk)"},"Timestamp":\#(now),"TradeID":"\#(id)","Value":\#(cents / 100).\#(String(cents % 100 + 100).dropFirst()),"Version":1}"#
            records.append(["Data": .string(json), "PartitionKey": .string(id)])
            if records.count == 40 {
                _ = try world.adminCall("kinesis", "PutRecords", ["StreamName": "IncomingDataStream", "Records": .array(records)])
                records = []
            }
        }
        world.run(for: .seconds(60))
    }
    let end = clock.now
    let total = Double(minutes * tradesPerMinute)
    let seconds = Double((end - ready).components.attoseconds) / 1e18 + Double((end - ready).components.seconds)
    let setup = Double((ready - start).components.attoseconds) / 1e18 + Double((ready - start).components.seconds)
    let count = (try world.adminCall("dynamodb", "GetItem", ["TableName": "AggregateTable", "Key": ["Identifier": ["S": "message_count"]]])["Item"]?["Value"]?["N"]?.stringValue) ?? "0"
    print(String(format: "pipeline: %d trades in %.3f s wall (%.0f trades/s), setup %.3f s, message_count %@", Int(total), seconds, total / seconds, setup, count))
}
