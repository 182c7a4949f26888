import CloudSim
import DocumentModel
import Foundation
import LabEngine

/// Messages per second through the whole pipeline — Kinesis → StateLambda → StateTable
/// stream → MapLambda → ReduceTable stream → ReduceLambda → AggregateTable — on a lab's
/// reference solution (lab2: duplicates, modifications and failures on), plus wall time
/// of the lab's grading run. Returns the nanoseconds one message costs end to end.
func pipelineBenchmark(labs: String, lab id: String) throws -> Double {
    let clock = ContinuousClock()
    let lab = try LabLoader(catalog: LabCatalog(directory: labs)).load(id)
    let start = clock.now
    let result = try LabRunner(lab: lab).run(actions: .solution, seed: 1)
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let records = messages(in: result.world)
    print(
        String(
            format: "%@: %d messages through the pipeline in %.3f s wall = %.0f messages/s (score %d/%d, %@)",
            id, records, seconds, Double(records) / seconds, result.score, result.maxScore, result.passed ? "passed" : "NOT passed"))
    let metrics = result.world.account.logs.metrics
    let invocations = metrics.keys.sorted().map { "\($0) \(metrics[$0]?.invocations ?? 0)" }.joined(separator: ", ")
    print("  \(result.world.account.scheduler.eventsRun) scheduler events; invocations: \(invocations)")
    return seconds * 1e9 / Double(max(records, 1))
}

/// Every record that arrived in the world's Kinesis streams: the messages of a run.
func messages(in world: World) -> Int {
    world.account.kinesis.streams.values.reduce(0) { total, stream in total + stream.shards.reduce(0) { $0 + $1.endIndex } }
}

/// Issue #15's measure: what the engine spends on a message beside what the handlers'
/// own Lua costs (the floor), and the ratio of the two (the target is at most 1).
func printEngineShare(lab id: String, message: Double, handlers: Double) {
    let engine = message - handlers
    print(
        String(
            format: "%@: a message costs %.1f µs: the handlers' Lua %.1f µs, the engine %.1f µs; engine / handlers = %.2f",
            id, message / 1000, handlers / 1000, engine / 1000, engine / handlers))
}
