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
