import CloudSim
import DocumentModel
import Foundation
@testable import LabEngine
import LuaBridge
import Testing

/// A mapping is `Creating`, then `Updating` (or `Enabling`, `Disabling`) for a moment after
/// each change, and AWS refuses to change it meanwhile: "you tried to update an event source
/// mapping in the CREATING state, or you tried to delete an event source mapping currently
/// UPDATING" (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html#API_UpdateEventSourceMapping_Errors).
/// A learner's script waits for it with `sleep`, which lets virtual time pass before the run starts.
@Suite struct MappingStateTests {
    func code(_ body: () throws -> Document) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as any CodedError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    func state(_ world: World, _ uuid: String) throws -> Document? {
        try world.adminCall("lambda", "GetEventSourceMapping", ["UUID": .string(uuid)])["State"]
    }

    @Test func aStreamMappingRefusesChangesUntilTheLastHasSettled() throws {
        let world = try recordingWorld()
        let uuid = try #require(world.account.lambda.mappings.keys.first)
        let update: (Document) -> String? = { request in
            self.code { try world.adminCall("lambda", "UpdateEventSourceMapping", request) }
        }
        #expect(try state(world, uuid) == "Creating")
        #expect(update(["UUID": .string(uuid), "BatchSize": 5]) == "ResourceInUseException")
        world.run(for: .seconds(1))
        #expect(try state(world, uuid) == "Enabled")
        #expect(update(["UUID": .string(uuid), "BatchSize": 5]) == nil)
        #expect(try state(world, uuid) == "Updating")
        #expect(update(["UUID": .string(uuid), "BatchSize": 6]) == "ResourceInUseException")
        #expect(code { try world.adminCall("lambda", "DeleteEventSourceMapping", ["UUID": .string(uuid)]) } == "ResourceInUseException")
        // The refused update changed nothing.
        #expect(world.account.lambda.mappings[uuid]?.batchSize == 5)
        world.run(for: .seconds(1))
        #expect(update(["UUID": .string(uuid), "Enabled": false]) == nil)
        #expect(try state(world, uuid) == "Disabling")
        world.run(for: .seconds(1))
        #expect(try state(world, uuid) == "Disabled")
        #expect(update(["UUID": .string(uuid), "Enabled": true]) == nil)
        #expect(try state(world, uuid) == "Enabling")
        world.run(for: .seconds(1))
        #expect(code { try world.adminCall("lambda", "DeleteEventSourceMapping", ["UUID": .string(uuid)]) } == nil)
    }

    @Test func aQueueMappingRefusesChangesUntilTheLastHasSettled() throws {
        let world = try recordingWorld(before: #"""
            aws.sqs.create_queue{ QueueName = "jobs" }
            local m = aws.lambda.create_event_source_mapping{ FunctionName = "F", EventSourceArn = "arn:aws:sqs:us-west-2:123456789012:jobs" }
            assert(aws.lambda.get_event_source_mapping{ UUID = m.UUID }.State == "Creating")
            local ok, err = pcall(aws.lambda.update_event_source_mapping, { UUID = m.UUID, BatchSize = 3 })
            assert(not ok and err.code == "ResourceInUseException", tostring(err.code))
            sleep(1)
            assert(aws.lambda.update_event_source_mapping{ UUID = m.UUID, BatchSize = 3 }.State == "Updating")
            ok, err = pcall(aws.lambda.delete_event_source_mapping, { UUID = m.UUID })
            assert(not ok and err.code == "ResourceInUseException", tostring(err.code))
            sleep(1)
            assert(aws.lambda.get_event_source_mapping{ UUID = m.UUID }.State == "Enabled")
            """#)
        #expect(world.account.lambda.queueMappings.count == 1)
    }

    @Test func sleepLetsTimePassOnlyBeforeTheRunStarts() throws {
        let world = World(seed: 1)
        let start = world.account.scheduler.now
        try world.runActions(source: "sleep(2.5)", chunkName: "wait.lua", baseDirectory: "/tmp")
        #expect(world.account.scheduler.now == start + .seconds(2.5))
        // The limit counts every wait of the run.
        #expect(throws: LabError.self) {
            try world.runActions(source: "sleep(\(World.waitLimit))", chunkName: "long.lua", baseDirectory: "/tmp")
        }
        #expect(world.account.scheduler.now == start + .seconds(2.5))
        let refused = try? world.admin().run("return pcall(sleep, -1)", chunkName: "=negative")
        #expect(refused?.first == false)
        world.timeStarted = true
        do {
            try world.runActions(source: "\n sleep(1)", chunkName: "late.lua", baseDirectory: "/tmp")
            Issue.record("a sleep after time started was accepted")
        } catch let error as LabError {
            #expect(error.file == "late.lua" && error.line == 2, "\(error)")
            #expect(error.message.contains("schedule what comes later with at(seconds, fn)"), "\(error.message)")
        }
    }
}
