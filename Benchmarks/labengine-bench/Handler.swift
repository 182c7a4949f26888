import CloudSim
import DocumentModel
import Foundation
import LabEngine

/// Where a StateLambda invocation's time goes: the event alone, decoding, and the SDK calls.
func handlerBenchmarks(labs: String) throws {
    let source = try String(contentsOfFile: labs + "/lab1/functions/state_lambda.lua", encoding: .utf8)
    let variants: [(String, String)] = [
        ("an empty handler", "return function(event) return #event.Records end"),
        ("decode only", "return function(event) for _, r in ipairs(event.Records) do local t = json.decode(base64.decode(r.kinesis.data)) end end"),
        ("a yield per record (time.sleep(0))", "return function(event) for _, r in ipairs(event.Records) do time.sleep(0) end end"),
        ("a GetItem per record", "return function(event) for _, r in ipairs(event.Records) do aws.dynamodb.get_item{ TableName = 'StateTable', Key = { id = { S = 'x' } } } end end"),
        ("StateLambda", source),
    ]
    for (name, code) in variants {
        let world = World(seed: 1)
        try world.runActions(source: """
            aws.dynamodb.create_table{ TableName = 'StateTable', AttributeDefinitions = { { AttributeName = 'id', AttributeType = 'S' } },
              KeySchema = { { AttributeName = 'id', KeyType = 'HASH' } }, StreamSpecification = { StreamEnabled = true, StreamViewType = 'NEW_AND_OLD_IMAGES' } }
            local role = aws.iam.create_role{ RoleName = 'R', AssumeRolePolicyDocument = '{}' }.Role.Arn
            aws.iam.put_role_policy{ RoleName = 'R', PolicyName = 'p', PolicyDocument = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}' }
            aws.lambda.create_function{ FunctionName = 'F', Role = role, Timeout = 60, Code = { Source = [==[\(code)]==] } }
            """, chunkName: "setup.lua", baseDirectory: "/")
        let function = try world.account.lambda.function("F")
        var random = SeededRandom(seed: 1)
        func event() -> Document {
            let now = world.account.scheduler.now.unixSeconds
            return ["Records": .array((0..<100).map { _ in
                let json = #"{"Hierarchy":{"Region":"EMEA","RiskType":"PV","TradeDesk":"FXSpot"},"Timestamp":\#(now),"TradeID":"\#(random.uuid())","Value":1234.56,"Version":1}"#
                return ["kinesis": ["data": .string(Data(json.utf8).base64EncodedString()), "partitionKey": "k", "sequenceNumber": "1"], "eventSource": "aws:kinesis"]
            })]
        }
        let events = (0..<200).map { _ in event() }
        try measure("StateLambda batch of 100: \(name)", iterations: 200) { i in
            world.account.lambda.invoke(function, event: events[i], inline: true) { _ in }
        }
    }
}

/// The same empty handler fed by a real Kinesis trigger: what delivering one record costs,
/// from PutRecords through polling and the event, in virtual time.
func triggerBenchmark() throws {
    let world = World(seed: 1)
    try world.runActions(source: """
        aws.kinesis.create_stream{ StreamName = 'S', ShardCount = 1 }
        local role = aws.iam.create_role{ RoleName = 'R', AssumeRolePolicyDocument = '{}' }.Role.Arn
        aws.iam.put_role_policy{ RoleName = 'R', PolicyName = 'p', PolicyDocument = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}' }
        aws.lambda.create_function{ FunctionName = 'F', Role = role, Timeout = 60, Code = { Source = 'return function(event) return #event.Records end' } }
        aws.lambda.create_event_source_mapping{ FunctionName = 'F', BatchSize = 100, StartingPosition = 'LATEST',
          EventSourceArn = 'arn:aws:kinesis:us-west-2:123456789012:stream/S' }
        """, chunkName: "setup.lua", baseDirectory: "/")
    let scheduler = world.account.scheduler
    scheduler.run(until: scheduler.now + .seconds(5))
    var random = SeededRandom(seed: 2)
    let batches: [Document] = (0..<200).map { _ in
        .array((0..<100).map { _ in
            let json = #"{"Hierarchy":{"Region":"EMEA","RiskType":"PV","TradeDesk":"FXSpot"},"Timestamp":1700000000.5,"TradeID":"\#(random.uuid())","Value":1234.56,"Version":1}"#
            return ["Data": .string(json), "PartitionKey": .string(random.uuid())]
        })
    }
    let invocations = { world.account.logs.metrics["F"]?.invocations ?? 0 }
    let before = invocations()
    measure("100 records through a Kinesis trigger, empty handler", iterations: 200, perOperation: 100) { i in
        _ = try? world.account.call("kinesis", "PutRecords", ["StreamName": "S", "Records": batches[i]])
        scheduler.run(until: scheduler.now + .seconds(2))
    }
    if invocations() - before < 200 { print("  (only \(invocations() - before) invocations: check the trigger)") }
}
