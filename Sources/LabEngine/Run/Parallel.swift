import Foundation

/// Runs independent jobs on several threads and gives their results in job order.
///
/// Each job builds everything it touches (its own lab, with its own Lua states, and its own
/// world): nothing mutable is shared, so the results are the same as one after another, only
/// sooner.
package enum Parallel {
    /// The cores this process may use: the default for `--jobs`.
    package static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// One memory budget for all of a run's jobs. A job starts only when no other runs, or
    /// when the process would still be within `bytes` with it: what it holds now (at least
    /// `perJob` for each running job, since a job that has just started has not grown yet)
    /// and `perJob` more. It decides when jobs start, never what they do: each world keeps its
    /// own memory caps, and its results are the same whatever ran beside it.
    package struct MemoryBudget: Sendable {
        package let bytes: Int
        /// What one job is expected to hold at its peak.
        package let perJob: Int
        /// The bytes the process holds now.
        package let held: @Sendable () -> Int

        package init(bytes: Int, perJob: Int, held: @escaping @Sendable () -> Int) {
            self.bytes = bytes
            self.perJob = perJob
            self.held = held
        }

        /// Whether one more job fits beside `running` ones.
        func admits(besides running: Int) -> Bool {
            running == 0 || max(held(), running * perJob) + perJob <= bytes
        }
    }

    /// `body(0) … body(count - 1)` on up to `jobs` threads, and with `memory`, only as many
    /// at once as it holds. `finished` is called on the calling thread with each result as
    /// soon as it and every earlier one are done, so output stays in order while later jobs
    /// still run.
    package static func run<T: Sendable>(
        _ count: Int, jobs: Int, memory: MemoryBudget? = nil, _ body: @escaping @Sendable (Int) -> T,
        finished: (Int, T) -> Void = { _, _ in }
    ) -> [T] {
        guard count > 0 else { return [] }
        let box = ResultBox<T>(count, memory: memory)
        let threads = max(1, min(jobs, count))
        for _ in 0..<threads {
            Thread {
                while let index = box.nextIndex() { box.store(body(index), at: index) }
            }.start()
        }
        var results: [T] = []
        for index in 0..<count {
            let value = box.wait(for: index)
            finished(index, value)
            results.append(value)
        }
        return results
    }
}

/// The jobs' results, filled by the worker threads, read in order by the caller.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var values: [T?]
    private var next = 0
    private let memory: Parallel.MemoryBudget?
    /// Jobs started and not finished.
    private var running = 0

    init(_ count: Int, memory: Parallel.MemoryBudget?) {
        values = Array(repeating: nil, count: count)
        self.memory = memory
    }

    /// The next job to run, once the budget lets it start (a finishing job wakes the waiters).
    func nextIndex() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while next < values.count, let memory, !memory.admits(besides: running) {
            condition.wait()
        }
        guard next < values.count else { return nil }
        next += 1
        running += 1
        return next - 1
    }

    func store(_ value: T, at index: Int) {
        condition.lock()
        values[index] = value
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    func wait(for index: Int) -> T {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value = values[index] { return value }
            condition.wait()
        }
    }
}
