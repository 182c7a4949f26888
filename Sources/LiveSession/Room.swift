import CloudSim
import DocumentModel
import Foundation
import LabEngine
import NIOConcurrencyHelpers
import WireProtocols

/// A live workshop: one account of the lab per learner, one virtual clock for all of them,
/// and the AWS endpoint in front of the accounts. Every learner's world keeps its scoring,
/// failure modes and step checks running; every changing request is appended to that
/// learner's transcript with the virtual second it was applied after.
///
/// One lock guards every account: the endpoint's thread and the clock's thread take turns,
/// and requests are applied between whole virtual seconds, never inside one. That is what
/// makes a transcript's replay (``TranscriptReplay``) the same run.
package final class Room: @unchecked Sendable {
    package struct Options: Sendable {
        /// Virtual seconds per wall second.
        package var speed: Double = 1
        /// The session's length in virtual minutes.
        package var minutes: Int = 60
        package var seed: UInt64 = 1
        /// Start with the clock stopped (control routes start it).
        package var paused = false
        /// Requests per wall second one learner may make (a burst of twice as many is allowed).
        package var requestsPerSecond: Double = 20
        /// The folder for credentials, transcripts and reports.
        package var directory: String = "session"
        /// Listening beyond loopback: pages show no keys.
        package var publicHost = false
        /// Threads that run the learners' seconds (each learner's world is its own).
        package var threads = 1

        package init() {}
    }

    /// One learner's place: identity, session and transcript. Only one thread touches a
    /// seat at a time: whoever holds the room's lock, or, during a tick, the one thread the
    /// seat was handed to.
    final class Seat: @unchecked Sendable {
        let identity: LearnerIdentity
        let session: LabSession
        let transcript: FileHandle
        let limiter: RateLimiter
        /// The lab's own scripts failed in this learner's world (the author's problem); it stopped.
        var failure: String?

        init(identity: LearnerIdentity, session: LabSession, transcript: FileHandle, limiter: RateLimiter) {
            self.identity = identity
            self.session = session
            self.transcript = transcript
            self.limiter = limiter
        }
    }

    package let lab: Lab
    package let options: Options
    /// The token control routes need (`Authorization: Bearer …`).
    package let moderatorToken: String
    let seats: [Seat]
    private let byID: [String: Seat]
    private let byKey: [String: Seat]
    private let dispatcher: WireDispatcher
    private let strangers: RateLimiter
    private let lock = NIOLock()

    private var paused: Bool
    private var finished = false
    private var stopped = false
    /// Whole virtual seconds since the start; every seat's session is at this second.
    private var elapsed = 0
    /// The wall instant and virtual second the pacing counts from.
    private var anchor: (wall: UInt64, elapsed: Int)
    /// How far the clock has fallen behind wall time, in virtual seconds (the largest seen).
    private var behind = 0

    /// Builds every learner's account and writes their credentials and transcript headers.
    /// - Parameter load: loads the lab afresh: each learner's world gets a Lua state of its own.
    /// - Throws: ``LabError`` when the lab's scripts fail; file errors when the folder cannot be written.
    package init(load: () throws -> Lab, roster: [LearnerIdentity], options: Options) throws {
        let lab = try load()
        self.lab = lab
        self.options = options
        moderatorToken = Roster.randomText(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        paused = options.paused
        anchor = (DispatchTime.now().uptimeNanoseconds, 0)
        let files = FileManager.default
        try files.createDirectory(atPath: options.directory, withIntermediateDirectories: true)
        var seats: [Seat] = []
        for (index, identity) in roster.enumerated() {
            let own = index == 0 ? lab : try load()
            let session = try LabSession(lab: own, seed: options.seed, minutes: options.minutes, accountID: identity.accountID, recordsLearnerCalls: true)
            session.world.readsSourceFiles = false
            // One learner's script holds the room's lock while it runs: keep it short.
            session.world.actionInstructionLimit = 20_000_000
            let folder = "\(options.directory)/\(identity.id)"
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let transcriptPath = "\(folder)/transcript.jsonl"
            let header = Transcript(lab: lab.id, learner: identity.id, account: identity.accountID, seed: options.seed, minutes: options.minutes)
            try Data((header.headerLine + "\n").utf8).write(to: URL(fileURLWithPath: transcriptPath))
            seats.append(
                Seat(
                    identity: identity, session: session, transcript: try FileHandle(forWritingTo: URL(fileURLWithPath: transcriptPath)),
                    limiter: RateLimiter(perSecond: options.requestsPerSecond)))
            seats.last?.transcript.seekToEndOfFile()
        }
        self.seats = seats
        byID = Dictionary(uniqueKeysWithValues: seats.map { ($0.identity.id, $0) })
        byKey = Dictionary(uniqueKeysWithValues: seats.map { ($0.identity.credentials.accessKeyID, $0) })
        strangers = RateLimiter(perSecond: options.requestsPerSecond)
        dispatcher = WireDispatcher(
            accounts: seats.map { seat in
                WireAccount(credentials: seat.identity.credentials, region: lab.region) { [session = seat.session] operation, request in
                    try session.world.wireCall(operation, request)
                }
            },
            wallClock: { Date().timeIntervalSince1970 })
        for seat in seats { try seat.session.begin() }
        flushTranscripts()
    }

    // MARK: AWS requests

    /// Answers one AWS request for whichever learner signed it, within their rate.
    package func respondAWS(_ request: WireRequest) -> WireResponse {
        let seat = SignatureV4.accessKey(of: request).flatMap { byKey[$0] }
        let limiter = seat?.limiter ?? strangers
        return lock.withLock {
            guard limiter.admit(now: DispatchTime.now().uptimeNanoseconds) else {
                return dispatcher.throttled(
                    request,
                    message: "Rate exceeded: this workshop session allows \(Self.number(options.requestsPerSecond)) requests per second per learner (labengine serve --rate)")
            }
            let response = dispatcher.respond(to: request)
            flushTranscripts()
            return response
        }
    }

    /// Runs a learner's Lua actions in their account (`labengine act`).
    /// - Returns: what it printed, and its error (`file:line: message`) when it stopped.
    package func act(_ learner: String, source: String, file: String) -> (output: [String], error: String?) {
        lock.withLock {
            guard let seat = byID[learner] else { return ([], "no learner '\(learner)'") }
            guard seat.limiter.admit(now: DispatchTime.now().uptimeNanoseconds) else {
                return ([], "Rate exceeded: this workshop session allows \(Self.number(options.requestsPerSecond)) requests per second per learner")
            }
            let world = seat.session.world
            let before = world.actionsOutput.count
            var failure: String?
            do {
                try world.runActions(source: source, chunkName: file, baseDirectory: FileManager.default.currentDirectoryPath)
            } catch {
                failure = "\(error)"
            }
            flushTranscripts()
            return (Array(world.actionsOutput.dropFirst(before)), failure)
        }
    }

    /// Whether `learner` signed `request` (SigV4 for the `labengine` service, with their key).
    package func authenticate(_ request: WireRequest, as learner: String) -> String? {
        guard let seat = byID[learner] else { return "no learner '\(learner)'" }
        return SignatureV4.problem(
            request, credentials: seat.identity.credentials, region: lab.region, service: "labengine", now: Date().timeIntervalSince1970)
    }

    // MARK: The clock

    /// Runs the clock until ``stop()``: a virtual second whenever one is due, the lock let go
    /// between seconds so requests get in. Returns when stopped.
    package func runClock() {
        // Building the accounts took wall time that is not the session's: pace from now.
        lock.withLock { anchor = (DispatchTime.now().uptimeNanoseconds, elapsed) }
        while true {
            let wait: Double? = lock.withLock {
                if stopped { return nil }
                guard !paused, !finished else { return 0.05 }
                let now = DispatchTime.now().uptimeNanoseconds
                let due = anchor.elapsed + Int(Double(now - anchor.wall) / 1e9 * options.speed)
                guard elapsed < due else {
                    // The wall time until the next virtual second is due.
                    let next = Double(elapsed + 1 - anchor.elapsed) / options.speed * 1e9 + Double(anchor.wall)
                    return min(0.05, max(0.001, (next - Double(now)) / 1e9))
                }
                behind = max(behind, due - elapsed - 1)
                tickAll()
                return 0
            }
            guard let wait else { return }
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
    }

    /// Stops the clock (`/control/pause`).
    package func pause() { lock.withLock { paused = true } }

    /// Starts the clock again from where it stands (`/control/resume`).
    package func resume() {
        lock.withLock {
            paused = false
            anchor = (DispatchTime.now().uptimeNanoseconds, elapsed)
        }
    }

    /// Runs `seconds` virtual seconds now, whatever the pacing (`/control/advance`); the
    /// pacing then counts on from there. Requests wait between the seconds.
    package func advance(_ seconds: Int) {
        for _ in 0..<seconds {
            let more = lock.withLock { () -> Bool in
                guard !finished, !stopped else { return false }
                tickAll()
                return true
            }
            if !more { break }
        }
        lock.withLock { anchor = (DispatchTime.now().uptimeNanoseconds, elapsed) }
    }

    /// One virtual second for every learner; called with the lock held.
    private func tickAll() {
        elapsed += 1
        let active = seats.filter { $0.failure == nil }
        let threads = max(1, min(options.threads, active.count))
        // Learners' worlds share nothing (each has its own lab state and account), so their
        // seconds run side by side; the transcripts are written after, in roster order.
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in stride(from: thread, to: active.count, by: threads) {
                let seat = active[index]
                do {
                    try seat.session.tick()
                    // Its world stops with the run; the learner's page says why.
                    if let stop = seat.session.stop { seat.failure = stop.message }
                } catch {
                    seat.failure = "the lab's scripts failed in this account: \(error)"
                }
            }
        }
        flushTranscripts()
        if elapsed >= options.minutes * 60 { finishLocked() }
    }

    /// Appends every learner's new changing calls to their transcript; called with the lock held.
    private func flushTranscripts() {
        guard !finished else {
            // After the end nothing is graded: the calls are let go.
            for seat in seats { _ = seat.session.world.takeLearnerCalls(stampedAt: elapsed) }
            return
        }
        for seat in seats {
            let entries = seat.session.world.takeLearnerCalls(stampedAt: elapsed)
            guard !entries.isEmpty else { continue }
            seat.transcript.write(Data(entries.map { Transcript.line($0) + "\n" }.joined().utf8))
        }
    }

    /// Ends the session: the transcripts' end lines and every learner's report. Idempotent.
    package func finish() { lock.withLock { finishLocked() } }

    private func finishLocked() {
        guard !finished else { return }
        flushTranscripts()
        finished = true
        for seat in seats {
            seat.transcript.write(Data((Transcript.endLine(elapsed) + "\n").utf8))
            try? seat.transcript.close()
            let folder = "\(options.directory)/\(seat.identity.id)"
            if let result = try? seat.session.result() {
                try? Data(GradeReport(result: result).json().utf8).write(to: URL(fileURLWithPath: "\(folder)/report.json"))
            }
        }
    }

    /// Finishes the session and stops the clock's loop.
    package func stop() {
        finish()
        lock.withLock { stopped = true }
    }

    // MARK: Views

    /// The scoreboard's feed: every learner's score, last minutes and steps, best first.
    package func scoreboard() -> Document {
        lock.withLock {
            let rows = seats.sorted { ($1.session.score, $0.identity.id) < ($0.session.score, $1.identity.id) }.map { seat -> Document in
                let session = seat.session
                var row: [String: Document] = [
                    "id": .string(seat.identity.id), "score": .int(Int64(session.score)), "maxScore": .int(Int64(session.maxScore)),
                    "recent": .array(session.rounds.suffix(5).map {
                        ["minute": .int(Int64($0.minute)), "points": .int(Int64($0.points)), "detail": .string($0.points == 0 ? Self.firstLine($0.detail) : "")]
                    }),
                    "steps": .array(session.checklist.map { step in
                        ["id": .string(step.id), "title": .string(step.title), "passed": .bool(step.passed), "passedAt": step.passedAt.map { .double($0) } ?? .null]
                    }),
                ]
                if let failure = seat.failure { row["failure"] = .string(failure) }
                return .map(row)
            }
            return .map(clockFields().merging(["learners": .array(rows)]) { a, _ in a })
        }
    }

    /// One learner's own page: checklist, hint, function summary; keys only on loopback.
    package func learnerView(_ id: String) -> Document? {
        lock.withLock {
            guard let seat = byID[id] else { return nil }
            let session = seat.session
            var view = clockFields()
            view["id"] = .string(id)
            view["account"] = .string(seat.identity.accountID)
            if !options.publicHost {
                view["accessKeyId"] = .string(seat.identity.credentials.accessKeyID)
                view["credentialsFile"] = .string("\(options.directory)/\(id)/credentials")
            }
            view["score"] = .int(Int64(session.score))
            view["maxScore"] = .int(Int64(session.maxScore))
            view["steps"] = .array(session.checklist.map { step in
                [
                    "id": .string(step.id), "title": .string(step.title), "status": .string(step.status.rawValue), "message": .string(step.message),
                    "passedAt": step.passedAt.map { .double($0) } ?? .null,
                ]
            })
            if let (step, hint) = session.currentHint {
                view["hint"] = ["step": .string(step.id), "title": .string(step.title), "levels": .array(hint.levels.map { .string($0) })]
            }
            view["minutes"] = .array(session.rounds.suffix(10).map {
                ["minute": .int(Int64($0.minute)), "points": .int(Int64($0.points)), "score": .int(Int64($0.score)), "detail": .string($0.detail)]
            })
            view["functions"] = .array(session.functionSummaries)
            if let failure = seat.failure { view["failure"] = .string(failure) }
            return .map(view)
        }
    }

    /// The clock's state; called with the lock held.
    private func clockFields() -> [String: Document] {
        [
            "lab": .string(lab.id), "title": .string(lab.title), "region": .string(lab.region), "elapsed": .int(Int64(elapsed)), "length": .int(Int64(options.minutes * 60)),
            "speed": .double(options.speed), "paused": .bool(paused), "over": .bool(finished), "behind": .int(Int64(behind)),
        ]
    }

    /// Whether ``stop()`` was called.
    package var isStopped: Bool { lock.withLock { stopped } }

    /// The learners' IDs, in roster order.
    package var learnerIDs: [String] { seats.map(\.identity.id) }

    /// A learner's identity.
    package func identity(_ id: String) -> LearnerIdentity? { byID[id]?.identity }

    /// The reason's first line, cut to fit a scoreboard cell.
    private static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return line.count > 120 ? String(line.prefix(119)) + "…" : line
    }

    /// "1× (1 virtual second per wall second)".
    package static func speedText(_ speed: Double) -> String {
        "\(number(speed))× (\(number(speed)) virtual second\(speed == 1 ? "" : "s") per wall second)"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
