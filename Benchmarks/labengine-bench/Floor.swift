import CloudSim
import DocumentModel
import Foundation
import LabEngine

/// The Lua floor: what the reference handlers cost per message with nothing simulated.
///
/// Each variant is a Lambda function whose code builds its own event with Lua table
/// constructors (the cheapest way a Lua table can come to exist), then runs a reference
/// handler on it with the SDK call replaced by a Lua function that does nothing. No
/// engine can deliver a message to these handlers for less: the numbers bound from
/// above how many messages per second the pipeline can ever reach with handlers in Lua.
/// Returns the nanoseconds a message costs in the handlers together.
func floorBenchmarks(labs: String) throws -> Double {
    let decimal = try source(labs, "lab1/functions/decimal_text.lua")
    func handler(_ path: String) throws -> String {
        try source(labs, path).replacingOccurrences(of: #"require("decimal_text")"#, with: "(function() \(decimal) end)()")
    }
    let stubs = """
        local aws = { dynamodb = { update_item = function(request) return {} end, put_item = function(request) return {} end } }
        local time = { time = function() return 1700000000 end }
        """
    let kinesisRecords = """
        local datas = {}
        for i = 1, 1000 do
          datas[i] = base64.encode(string.format('{"Hierarchy":{"Region":"EMEA","RiskType":"PV","TradeDesk":"FXSpot"},"Timestamp":1699999990.000,"TradeID":"%08x-1c3e-4c1e-9a55-0d2c9b9d1f00","Value":1234.56,"Version":1}', i))
        end
        local function records(n)
          local list = {}
          for i = 1, n do
            list[i] = { kinesis = { kinesisSchemaVersion = "1.0", partitionKey = "k", sequenceNumber = "4959000000000000000000" .. i,
                data = datas[i], approximateArrivalTimestamp = 1699999990.5 },
              eventSource = "aws:kinesis", eventVersion = "1.0", eventID = "shardId-000000000000:4959000000000000000000",
              eventName = "aws:kinesis:record", invokeIdentityArn = "arn:aws:iam::123456789012:role/StateLambdaRole",
              awsRegion = "us-west-2", eventSourceARN = "arn:aws:kinesis:us-west-2:123456789012:stream/IncomingDataStream" }
          end
          return list
        end
        """
    let streamRecords = """
        local ids = {}
        for i = 1, 1000 do ids[i] = string.format("%08x-1c3e-4c1e-9a55-0d2c9b9d1f00", i) end
        local hierarchy = '{"Region":"EMEA","RiskType":"PV","TradeDesk":"FXSpot"}'
        local function image(id, version)
          return { id = { S = id }, Value = { N = "1234.56" }, Version = { N = version }, Hierarchy = { S = hierarchy },
            Timestamp = { N = "1699999990" } }
        end
        local function records(n)
          local list = {}
          for i = 1, n do
            list[i] = { eventID = ids[i], eventName = "MODIFY", eventVersion = "1.1", eventSource = "aws:dynamodb",
              awsRegion = "us-west-2", eventSourceARN = "arn:aws:dynamodb:us-west-2:123456789012:table/StateTable/stream/2024",
              dynamodb = { Keys = { id = { S = ids[i] } }, SequenceNumber = "1000000000000" .. i, SizeBytes = 200,
                StreamViewType = "NEW_AND_OLD_IMAGES", ApproximateCreationDateTime = 1699999990,
                NewImage = image(ids[i], "2"), OldImage = image(ids[i], "1") } }
          end
          return list
        end
        """
    let variants: [(name: String, events: String, handler: String, batch: Int)] = [
        ("StateLambda (lab2), per record", kinesisRecords, try handler("lab2/solution/state_lambda.lua"), 100),
        ("MapLambda, per record", streamRecords, try handler("lab1/functions/map_lambda.lua"), 1000),
    ]
    var total = 0.0
    for variant in variants {
        let code = """
            \(stubs)
            local handler = (function() \(variant.handler) end)()
            \(variant.events)
            return function(event) handler({ Records = records(\(variant.batch)) }, {}) end
            """
        let world = World(seed: 1)
        try world.runActions(source: """
            local role = aws.iam.create_role{ RoleName = 'R', AssumeRolePolicyDocument = '{}' }.Role.Arn
            aws.lambda.create_function{ FunctionName = 'F', Role = role, Timeout = 60, MemorySize = 1024, Code = { Source = [==[\(code)]==] } }
            """, chunkName: "setup.lua", baseDirectory: "/")
        let function = try world.account.lambda.function("F")
        var failure: String?
        total += measure("lua floor: \(variant.name)", iterations: 100, perOperation: variant.batch) { _ in
            world.account.lambda.invoke(function, event: Document.map([:]), inline: true) { result in
                if case .failure(let type, let message) = result.outcome { failure = "\(type): \(message)" }
            }
        }
        if let failure { throw BenchmarkError(message: "lua floor \(variant.name): \(failure)") }
    }
    return total
}

struct BenchmarkError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

private func source(_ labs: String, _ path: String) throws -> String {
    try String(contentsOfFile: labs + "/" + path, encoding: .utf8)
}
