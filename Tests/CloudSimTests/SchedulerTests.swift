import Foundation
import CloudSim
import Testing

@Suite struct SchedulerTests {
    @Test func eventsRunInTimeThenScheduleOrder() {
        let s = Scheduler()
        var log: [String] = []
        s.schedule(at: .seconds(2)) { log.append("b") }
        s.schedule(at: .seconds(1)) { log.append("a") }
        s.schedule(at: .seconds(2)) { log.append("c") }
        s.schedule(at: .seconds(1)) { s.schedule(after: .seconds(0.5)) { log.append("a2") } }
        s.run(until: .seconds(10))
        #expect(log == ["a", "a2", "b", "c"])
        #expect(s.now == .seconds(10))
    }

    /// An SDK call done at once instead of through the queue must not overtake an event
    /// that is due first, nor leave the run's end behind.
    @Test func advancingInPlaceOnlyWhenNothingIsDueBefore() {
        let s = Scheduler()
        #expect(!s.advanceIfNext(to: .seconds(1)))  // no run in progress
        var log: [String] = []
        s.schedule(at: .seconds(2)) { log.append("b") }
        s.schedule(at: .seconds(1)) {
            #expect(s.advanceIfNext(to: .seconds(1.5)))
            #expect(s.now == .seconds(1.5))
            log.append("a at 1.5")
            #expect(!s.advanceIfNext(to: .seconds(2)))  // "b" is due at 2 and was scheduled first
            #expect(!s.advanceIfNext(to: .seconds(1)))  // the clock does not go back
            #expect(s.now == .seconds(1.5))
        }
        s.schedule(at: .seconds(3)) {
            #expect(!s.advanceIfNext(to: .seconds(4.5)))  // past this run's end
            log.append("c")
        }
        s.run(until: .seconds(4))
        #expect(log == ["a at 1.5", "b", "c"])
        #expect(s.now == .seconds(4))
        #expect(!s.advanceIfNext(to: .seconds(5)))
    }

    @Test func randomStreamsAreIndependentAndStable() {
        var a = SeededRandom(seed: 1, stream: "kinesis")
        var b = SeededRandom(seed: 1, stream: "kinesis")
        var c = SeededRandom(seed: 1, stream: "lambda")
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
    }

    @Test func uuidsAreVersion4AndTheirHexFormDrawsTheSame() {
        var a = SeededRandom(seed: 9)
        var b = SeededRandom(seed: 9)
        for _ in 0..<100 {
            let uuid = a.uuid()
            let hex = b.uuidHex()
            #expect(uuid.count == 36 && hex.count == 32)
            #expect(uuid.replacingOccurrences(of: "-", with: "") == hex)
            #expect(Array(uuid)[14] == "4" && "89ab".contains(Array(uuid)[19]))
        }
    }
}
