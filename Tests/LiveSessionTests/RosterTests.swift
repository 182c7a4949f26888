import Foundation
@testable import LiveSession
import WireProtocols
import Testing

@Suite struct RosterTests {
    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func namesComeFromTheFileWithAccountsCountedUp() throws {
        let roster = try Roster.read(file: try file("# room 4\nalice\n\nbob   # late\n"), baseAccount: "123456789012")
        #expect(roster.map(\.id) == ["alice", "bob"])
        #expect(roster.map(\.accountID) == ["123456789013", "123456789014"])
        #expect(roster.allSatisfy { $0.credentials.accessKeyID.hasPrefix("AKIA") && $0.credentials.accessKeyID.count == 20 })
        #expect(roster.allSatisfy { $0.credentials.secretAccessKey.count == 40 })
    }

    @Test func badFilesAreNamedWithTheirLine() throws {
        let bad = try file("alice\nbob smith\n")
        #expect(throws: RosterError.self) { try Roster.read(file: bad, baseAccount: "123456789012") }
        do {
            _ = try Roster.read(file: bad, baseAccount: "123456789012")
        } catch {
            #expect("\(error)".hasPrefix("\(bad):2: 'bob smith' is not a learner name"), "\(error)")
        }
        let twice = try file("alice\nbob\nalice\n")
        #expect(throws: RosterError.self) { try Roster.read(file: twice, baseAccount: "123456789012") }
        do {
            _ = try Roster.read(file: twice, baseAccount: "123456789012")
        } catch {
            #expect("\(error)" == "\(twice):3: 'alice' is already on line 1")
        }
        #expect(throws: RosterError.self) { try Roster.read(file: try file("# nobody\n"), baseAccount: "123456789012") }
        #expect(throws: RosterError.self) { try Roster.numbered(0, baseAccount: "123456789012") }
        #expect(throws: RosterError.self) { try Roster.numbered(3, baseAccount: "999999999998") }
    }

    @Test func theLimiterAllowsABurstThenItsRate() {
        let limiter = RateLimiter(perSecond: 2)
        let start: UInt64 = 1_000_000_000
        #expect((0..<5).map { _ in limiter.admit(now: start) } == [true, true, true, true, false])
        #expect(!(limiter.admit(now: start + 400_000_000)))
        #expect(limiter.admit(now: start + 600_000_000))
    }
}
