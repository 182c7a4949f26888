import ArgumentParser
import Foundation
import JemallocSettings
import LabEngine

/// How many runs go side by side (`grade --seeds`, `--submissions`, `test`): `--jobs`, and
/// `--memory` for all of them together.
struct ParallelOptions: ParsableArguments {
    @Option(name: .long, help: "Runs at once (default: the cores this machine has).") var jobs = Parallel.cores

    @Option(name: .long, help: ArgumentHelp(
        "Megabytes all runs together may hold before another one starts (default: three quarters of this machine's memory).",
        discussion: "A run starts when no other is going, or when what the process holds (counting at least 200 MB for each run going) and 200 MB more fit. Each run keeps its own limits, so its results do not change."))
    var memory: Int?

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let memory, memory < 1 { throw ValidationError("--memory must be at least 1 (megabytes)") }
    }

    /// The budget `--memory` sets, measured by what jemalloc holds allocated (pages it keeps
    /// for reuse do not count). A run is expected to hold 200 MB (`grade lab2 --solution`
    /// peaks at 190 MB).
    var budget: Parallel.MemoryBudget {
        let megabytes = memory ?? Int(ProcessInfo.processInfo.physicalMemory / 1_048_576 / 4 * 3)
        return Parallel.MemoryBudget(bytes: megabytes << 20, perJob: 200 << 20) { Int(labengine_allocated_bytes()) }
    }
}
