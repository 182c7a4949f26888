import Foundation
import Testing

/// The same inputs and seed give byte-identical results in every process, not only within
/// one: each process hashes Swift's dictionaries with its own random seed, so anything that
/// follows a dictionary's order (the order a map's keys are pushed into Lua, which decides
/// the order Lua creates and collects their strings) differs from one process to the next.
@Suite struct DeterminismTests {
    @Test func separateProcessesWriteTheSameLogsAndReport() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("determinism-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: temp) }
        let actions = CLIRunner.fixtures.appendingPathComponent("determinism/lab1_solution.lua").path
        let runs = (0..<4).map { temp.appendingPathComponent("run\($0)") }
        // As many at a time as there are cores.
        let statuses = LockedStatuses()
        DispatchQueue.concurrentPerform(iterations: runs.count) { i in
            let result = try? CLIRunner.run(
                ["run", "lab1", "--labs", "labs", "--actions", actions, "--minutes", "3", "--artifacts", runs[i].path], in: CLIRunner.packageRoot)
            statuses.set(i, result?.status ?? -1)
        }
        #expect(statuses.all(count: runs.count) == Array(repeating: 0, count: runs.count))
        let files = ["report.json", "logs/GeneratorLambda.log", "logs/StateLambda.log", "logs/MapLambda.log", "logs/ReduceLambda.log"]
        for file in files {
            let first = try Data(contentsOf: runs[0].appendingPathComponent(file))
            #expect(!first.isEmpty)
            for run in runs.dropFirst() {
                #expect(try Data(contentsOf: run.appendingPathComponent(file)) == first, "\(file) differs between processes")
            }
        }
    }
}

/// Exit statuses written from the runs' threads.
private final class LockedStatuses: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [Int: Int32] = [:]

    func set(_ index: Int, _ status: Int32) { lock.withLock { statuses[index] = status } }
    func all(count: Int) -> [Int32] { lock.withLock { (0..<count).map { statuses[$0] ?? -1 } } }
}
