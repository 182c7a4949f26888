import DocumentModel
import Foundation
import LabEngine
import LiveSession

/// How many lab 1 learners one core holds in `labengine serve` at speed 1: a room of learners
/// who all applied the reference solution (the busiest pipeline a learner can have), its clock
/// advanced through the room's own path (one lock, every learner's second in turn). Capacity
/// is the wall second divided by the cost of one learner's virtual second.
func capacityBenchmark(labs: String, learners: Int = 10, threads: Int = 1) throws {
    let catalog = LabCatalog(directory: labs)
    var options = Room.Options()
    options.paused = true
    options.minutes = 10
    options.threads = threads
    options.directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-room-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: options.directory) }
    let room = try Room(
        load: { try LabLoader(catalog: catalog).load("lab1") }, roster: try Roster.numbered(learners, baseAccount: "123456789012"), options: options)
    let solution = try String(contentsOfFile: "\(labs)/lab1/solution.lua", encoding: .utf8)
    for id in room.learnerIDs {
        if let error = room.act(id, source: solution, file: "solution.lua").error { throw CapacityError(description: error) }
    }
    // The first minute fills the pipeline; then every second costs what a running one does.
    room.advance(60)
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    var costs: [(Int, Duration)] = []
    let measured = 120
    let start = clock.now
    for i in 0..<measured {
        let second = clock.now
        room.advance(1)
        costs.append((61 + i, clock.now - second))
    }
    // The generator's minute of trades arrives at once: the seconds after it cost the most,
    // and at capacity the clock lags by their excess and catches up within the minute.
    let slowest = costs.sorted { $0.1 > $1.1 }.prefix(3).map { String(format: "t=%d s %.0f ms", $0.0, seconds($0.1) * 1000) }
    let total = clock.now - start
    let perLearnerSecond = seconds(total) / Double(measured * learners)
    let scores = (room.scoreboard()["learners"]?.arrayValue ?? []).compactMap { $0["score"]?.intValue }
    print(
        String(
            format: "serve lab1 (%d thread%@): %d learners, %d virtual s in %.2f s wall: %.2f ms per learner-second, so %@ %d learners at speed 1 (slowest seconds for the room: %@; scores %@)",
            threads, threads == 1 ? "" : "s", learners, measured, seconds(total), perLearnerSecond * 1000, threads == 1 ? "one core holds" : "the machine holds", Int(1 / perLearnerSecond), slowest.joined(separator: ", "),
            scores.map(String.init).joined(separator: ",")))
    room.finish()
}

struct CapacityError: Error, CustomStringConvertible { let description: String }
