import Foundation
@testable import LabEngine
import Testing

/// Jobs side by side: results in job order, and a memory budget that decides only when a
/// job starts.
@Suite struct ParallelTests {
    /// Counts the jobs running at once, and what they "hold".
    final class Gauge: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private(set) var most = 0
        private(set) var held = 0

        func enter(holding bytes: Int) {
            lock.withLock {
                running += 1
                held += bytes
                most = max(most, running)
            }
        }

        func leave(releasing bytes: Int) {
            lock.withLock {
                running -= 1
                held -= bytes
            }
        }

        var holding: Int { lock.withLock { held } }
    }

    /// A job that holds `bytes` for a moment while others may start.
    static func job(_ gauge: Gauge, bytes: Int, _ index: Int) -> Int {
        gauge.enter(holding: bytes)
        // Long enough for the other threads to ask for their next job meanwhile.
        Thread.sleep(forTimeInterval: 0.05)
        gauge.leave(releasing: bytes)
        return index * index
    }

    @Test func resultsComeInJobOrder() {
        let gauge = Gauge()
        var seen: [Int] = []
        let results = Parallel.run(12, jobs: 4, { Self.job(gauge, bytes: 0, $0) }, finished: { index, _ in seen.append(index) })
        #expect(results == (0..<12).map { $0 * $0 })
        #expect(seen == Array(0..<12))
        #expect(gauge.most > 1, "four threads ran jobs side by side")
    }

    @Test func aFullBudgetStartsOneJobAtATime() {
        let gauge = Gauge()
        // Each job holds 100 bytes; the budget is 150: once one runs, no other fits.
        let budget = Parallel.MemoryBudget(bytes: 150, perJob: 100) { gauge.holding }
        let results = Parallel.run(8, jobs: 4, memory: budget) { Self.job(gauge, bytes: 100, $0) }
        #expect(results == (0..<8).map { $0 * $0 })
        #expect(gauge.most == 1)
    }

    @Test func aBudgetWithRoomForTwoRunsTwoAtATime() {
        let gauge = Gauge()
        let budget = Parallel.MemoryBudget(bytes: 250, perJob: 100) { gauge.holding }
        _ = Parallel.run(8, jobs: 4, memory: budget) { Self.job(gauge, bytes: 100, $0) }
        #expect(gauge.most == 2)
    }

    @Test func aBudgetWithRoomLetsJobsRunSideBySide() {
        let gauge = Gauge()
        let budget = Parallel.MemoryBudget(bytes: 1_000, perJob: 100) { gauge.holding }
        _ = Parallel.run(8, jobs: 4, memory: budget) { Self.job(gauge, bytes: 100, $0) }
        #expect(gauge.most > 1)
    }
}
