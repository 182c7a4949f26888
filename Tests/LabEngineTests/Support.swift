import CloudSim
import DocumentModel
import Foundation
@testable import LabEngine

/// The repository's `labs/` folder.
let labsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("labs")

/// A world with lab 1's starting resources.
func workshopWorld(seed: UInt64 = 1) throws -> World {
    let lab = labsFolder.appendingPathComponent("lab1").path
    let world = World(seed: seed, moduleRoots: [lab])
    try world.runActions(
        source: """
            require("world")(aws, { region = "us-west-2", account = "123456789012",
              functions = { StateLambda = "functions/state_lambda.lua", MapLambda = "functions/map_lambda.lua",
                            ReduceLambda = "functions/reduce_lambda.lua" } })
            -- The world's mappings are Creating for a second; a learner finds them settled.
            sleep(1)
            for _, m in ipairs(aws.lambda.list_event_source_mappings{ FunctionName = "MapLambda" }.EventSourceMappings) do
              aws.lambda.update_event_source_mapping{ UUID = m.UUID, Enabled = true }
            end
            -- The tests send their own trades: the workshop's generator stays quiet.
            aws.events.put_rule{ Name = "GeneratorSchedule", ScheduleExpression = "rate(1 minute)", State = "DISABLED" }
            sleep(1)
            """, chunkName: "setup.lua", baseDirectory: lab)
    return world
}

/// Sends trades like the workshop's generator and keeps the expected totals.
struct TradeFeed {
    var random: SeededRandom
    var expected: [String: Decimal] = [:]

    init(seed: UInt64) { random = SeededRandom(seed: seed, stream: "test-feed") }

    mutating func send(_ count: Int, to world: World) throws {
        var records: [Document] = []
        let now = world.account.scheduler.now.unixSeconds
        for _ in 0..<count {
            let cents = Int(random.next() % 10_000_001)
            let risk = ["PV", "Delta"][Int(random.next() % 2)]
            let desk = ["FXSpot", "FXOptions"][Int(random.next() % 2)]
            let region = ["EMEA", "APAC", "AMER"][Int(random.next() % 3)]
            let value = "\(cents / 100).\(String(cents % 100 + 100).dropFirst())"
            let id = random.uuid()
            let json = #"{"Hierarchy":{"Region":"\#(region)","RiskType":"\#(risk)","TradeDesk":"\#(desk)"},"Timestamp":\#(now),"TradeID":"\#(id)","Value":\#(value),"Version":1}"#
            records.append(["Data": .string(json), "PartitionKey": .string(id)])
            let amount = Decimal(string: value) ?? 0
            for key in [risk, "\(risk):\(desk)", "\(risk):\(desk):\(region)"] { expected[key, default: 0] += amount }
            expected["message_count", default: 0] += 1
            if records.count == 40 {
                _ = try world.adminCall("kinesis", "PutRecords", ["StreamName": "IncomingDataStream", "Records": .array(records)])
                records = []
            }
        }
        if !records.isEmpty {
            _ = try world.adminCall("kinesis", "PutRecords", ["StreamName": "IncomingDataStream", "Records": .array(records)])
        }
    }
}

/// AggregateTable as key → value.
func aggregates(_ world: World) throws -> [String: Decimal] {
    let items = try world.adminCall("dynamodb", "Scan", ["TableName": "AggregateTable"])["Items"]?.arrayValue ?? []
    var result: [String: Decimal] = [:]
    for item in items {
        guard let key = item["Identifier"]?["S"]?.stringValue, let value = item["Value"]?["N"]?.stringValue else { continue }
        result[key] = Decimal(string: value)
    }
    return result
}

/// The fixture labs and plugins shared with the CLI tests.
let fixtureFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("LabengineCLITests/Fixtures")

/// Loads a fixture lab (`tiny`, `tiny-child`).
func fixtureLab(_ id: String) throws -> Lab {
    try LabLoader(catalog: LabCatalog(directory: fixtureFolder.appendingPathComponent("labs").path)).load(id)
}

/// A labs folder in a temporary directory holding one lab `bad` with this `lab.lua`, plus
/// the fixture plugins and any extra plugins given as name → plugin.lua text.
func scratchLab(_ source: String, plugins: [String: String] = [:], extraLabs: [String: String] = [:]) throws -> LabLoader {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("labengine-\(UInt64.random(in: 0...UInt64.max))")
    let labs = root.appendingPathComponent("labs")
    try FileManager.default.createDirectory(at: labs.appendingPathComponent("bad"), withIntermediateDirectories: true)
    try source.write(to: labs.appendingPathComponent("bad/lab.lua"), atomically: true, encoding: .utf8)
    for (id, text) in extraLabs {
        try FileManager.default.createDirectory(at: labs.appendingPathComponent(id), withIntermediateDirectories: true)
        try text.write(to: labs.appendingPathComponent("\(id)/lab.lua"), atomically: true, encoding: .utf8)
    }
    let pluginsFolder = root.appendingPathComponent("plugins")
    try FileManager.default.createDirectory(at: pluginsFolder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
        at: fixtureFolder.appendingPathComponent("plugins/testkit"), to: pluginsFolder.appendingPathComponent("testkit"))
    for (name, text) in plugins {
        try FileManager.default.createDirectory(at: pluginsFolder.appendingPathComponent(name), withIntermediateDirectories: true)
        try text.write(to: pluginsFolder.appendingPathComponent("\(name)/plugin.lua"), atomically: true, encoding: .utf8)
    }
    return LabLoader(catalog: LabCatalog(directory: labs.path))
}
