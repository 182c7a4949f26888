import CloudSim
import Foundation
import JemallocSettings
import LabEngine

/// Whether a virtual minute costs more as a run gets longer (issue #15): runs a lab's
/// reference solution for `minutes` and prints each minute's CPU time (the run's thread's:
/// less noisy than wall time on a shared machine), the late minutes' median against the
/// early ones', and the memory held per trade.
func growthBenchmark(labs: String, lab id: String, minutes: Int) throws {
    let lab = try LabLoader(catalog: LabCatalog(directory: labs)).load(id)
    var marks = [cpuSeconds()]
    var allocated: [Int] = []  // bytes allocated at each minute's end
    let result = try LabRunner(lab: lab).run(actions: .solution, seed: 1, minutes: minutes) { elapsed, _, _ in
        if Int(elapsed.seconds) % 60 == 0 {
            marks.append(cpuSeconds())
            allocated.append(labengine_allocated_bytes())
        }
    }
    let costs = zip(marks, marks.dropFirst()).map { $1 - $0 }
    let trades = messages(in: result.world)
    func median(_ values: ArraySlice<Double>) -> Double { values.sorted()[values.count / 2] }
    let quarter = max(costs.count / 4, 1)
    // The first minute fills an empty pipeline; the early minutes start after it.
    let early = median(costs.dropFirst().prefix(quarter))
    let late = median(costs.suffix(quarter))
    // Memory grew from the first minute's end to the last's, while all but a minute's trades arrived.
    let grown = Double((allocated.last ?? 0) - (allocated.first ?? 0))
    let held = grown / Double(max(trades * (minutes - 1) / minutes, 1))
    print("growth \(id), \(minutes) virtual minutes: CPU seconds per minute " + costs.map { String(format: "%.2f", $0) }.joined(separator: " "))
    print(
        String(
            format: "growth %@: the last %d minutes' median %.2f s against minutes 2-%d's %.2f s = %.2fx; %.2f KB held per trade",
            id, quarter, late, quarter + 1, early, late / early, held / 1024))
}

/// CPU time this thread has used, in seconds.
private func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
