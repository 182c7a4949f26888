import Foundation

/// Runs independent jobs on several threads and gives their results in job order.
///
/// Each job builds everything it touches (its own lab, with its own Lua states, and its own
/// world): nothing mutable is shared, so the results are the same as one after another, only
/// sooner.
package enum Parallel {
    /// The cores this process may use: the default for `--jobs`.
    package static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `body(0) … body(count - 1)` on up to `jobs` threads. `finished` is called on the
    /// calling thread with each result as soon as it and every earlier one are done, so
    /// output stays in order while later jobs still run.
    package static func run<T: Sendable>(
        _ count: Int, jobs: Int, _ body: @escaping @Sendable (Int) -> T, finished: (Int, T) -> Void = { _, _ in }
    ) -> [T] {
        guard count > 0 else { return [] }
        let box = ResultBox<T>(count)
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

    init(_ count: Int) { values = Array(repeating: nil, count: count) }

    func nextIndex() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard next < values.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ value: T, at index: Int) {
        condition.lock()
        values[index] = value
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
