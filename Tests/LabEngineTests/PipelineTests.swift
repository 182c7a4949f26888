import CloudSim
import DocumentModel
import Foundation
import Testing
@testable import LabEngine

@Suite struct PipelineTests {
    @Test func theSolvedPipelineAggregatesExactly() throws {
        let world = try workshopWorld()
        try world.runActions(file: labsFolder.appendingPathComponent("lab1/solution.lua").path)
        world.run(for: .seconds(5))
        var feed = TradeFeed(seed: 7)
        for _ in 0..<2 {
            try feed.send(2_000, to: world)
            world.run(for: .seconds(60))
            #expect(try aggregates(world) == feed.expected)
        }
        #expect(feed.expected.count == 19)
        #expect(feed.expected["message_count"] == 4_000)
        let metrics = world.account.logs.metrics
        #expect(metrics["StateLambda"]?.errors == 0)
        #expect(metrics["ReduceLambda"]?.maxConcurrentExecutions == 1)
        #expect((metrics["MapLambda"]?.invocations ?? 0) > 0)
    }
}
