import ArgumentParser
import DocumentModel
import Foundation
import LabEngine
import LiveSession
import WireEndpoint
import WireProtocols

extension Labengine {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Runs a live session for a room: one account per learner, the AWS endpoint, a web scoreboard.",
            discussion: """
                Each learner's keys are written to DIR/<learner>/credentials and DIR/<learner>/config \
                (AWS CLI format); DIR/session.json has the URL and the moderator's token. Every \
                changing request goes to DIR/<learner>/transcript.jsonl; when the session ends \
                (its length, /control/stop or Ctrl-C) each learner's report is DIR/<learner>/report.json. \
                labengine grade LAB --transcript FILE replays a transcript.
                """)

        @OptionGroup var options: LabsOptions
        @Argument(help: "The lab to serve.") var lab: String
        @Option(name: .long, help: "How many learners (learner-1 … learner-N), or a file with one name per line.") var learners = "1"
        @Option(name: .long, help: "The address to listen on; 0.0.0.0 opens the session to the network.") var host = "127.0.0.1"
        @Option(name: .long, help: "The port (0: any free one).") var port = 4599
        @Option(name: .long, help: "Virtual seconds per wall second.") var speed: Double = 1
        @Option(name: .long, help: "The session's length in virtual minutes.") var minutes = 60
        @Option(name: .long, help: "The seed of every random choice (the same for every learner).") var seed: UInt64 = 1
        @Option(name: .long, help: "Requests per second one learner may make.") var rate: Double = 20
        @Option(name: .long, help: "The folder for credentials, transcripts and reports (default: session-LAB).") var dir: String?
        @Flag(name: .long, help: "Start with the clock stopped (POST /control/resume starts it).") var paused = false
        @Option(name: .long, help: "Threads that run the learners' seconds (default: the cores this machine has).") var jobs = Parallel.cores

        func validate() throws {
            if speed <= 0 || !speed.isFinite { throw ValidationError("--speed must be more than 0") }
            if minutes < 1 { throw ValidationError("--minutes must be at least 1") }
            if rate <= 0 { throw ValidationError("--rate must be more than 0") }
            if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
            if Int(learners) == nil && !FileManager.default.fileExists(atPath: learners) {
                throw ValidationError("--learners takes a number or a file of names; '\(learners)' is neither")
            }
        }

        /// `--learners N` or the names in `--learners FILE`.
        private func roster(baseAccount: String) throws(RosterError) -> [LearnerIdentity] {
            if let count = Int(learners) { return try Roster.numbered(count, baseAccount: baseAccount) }
            return try Roster.read(file: learners, baseAccount: baseAccount)
        }

        func run() throws {
            let first = try Diagnostics.loadLab(lab, options)
            let roster: [LearnerIdentity]
            do {
                roster = try self.roster(baseAccount: first.accountID)
            } catch {
                Diagnostics.error(error.description)
                throw ExitCode(2)
            }
            var settings = Room.Options()
            settings.speed = speed
            settings.minutes = minutes
            settings.seed = seed
            settings.paused = paused
            settings.requestsPerSecond = rate
            settings.threads = jobs
            settings.directory = dir ?? "session-\(first.id)"
            settings.publicHost = !["127.0.0.1", "localhost", "::1"].contains(host)
            let catalog = LabCatalog(directory: options.labs, pluginsDirectory: options.plugins)
            var loaded: Lab? = first
            let room: Room
            do {
                room = try Room(
                    load: {
                        defer { loaded = nil }
                        return try loaded ?? LabLoader(catalog: catalog).load(first.id)
                    }, roster: roster, options: settings)
            } catch let failure as LabError {
                Diagnostics.error(failure.description)
                throw ExitCode(2)
            }
            let stopping = DispatchSemaphore(value: 0)
            let routes = RoomRoutes(room: room) { stopping.signal() }
            let endpoint: WireEndpoint
            do {
                endpoint = try WireEndpoint.start(host: host, port: port) { routes.respond($0) }
            } catch {
                Diagnostics.error("cannot listen on \(host):\(port): \(error)")
                throw ExitCode(2)
            }
            let shownHost = settings.publicHost ? (host == "0.0.0.0" ? (ProcessInfo.processInfo.hostName) : host) : "127.0.0.1"
            let url = "http://\(shownHost):\(endpoint.port)"
            try SessionFiles.write(room: room, url: url, directory: settings.directory)

            if settings.publicHost {
                Diagnostics.warning(
                    "listening on \(host): anyone on the network can reach the session. Pages show no keys; hand each learner their own folder from \(settings.directory)/.")
            }
            print("\(first.id): \(first.title) — \(Plural.count(roster.count, "learner")), seed \(seed), \(Plural.count(minutes, "virtual minute")) at \(Room.speedText(speed))")
            print("endpoint and scoreboard: \(url)/scoreboard")
            print("moderator token: \(room.moderatorToken) (control routes: POST \(url)/control/pause|resume|advance?seconds=N|stop)")
            print("learners' credentials: \(settings.directory)/<learner>/credentials and config; session: \(settings.directory)/session.json")
            for learner in roster {
                print("  \(learner.id)\taccount \(learner.accountID)\tkey \(learner.credentials.accessKeyID)\t\(url)/learners/\(learner.id)")
            }
            print("")

            for signal in [SIGINT, SIGTERM] {
                Foundation.signal(signal, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
                source.setEventHandler { stopping.signal() }
                source.resume()
                SignalSources.keep(source)
            }
            let clock = Thread { room.runClock() }
            clock.start()
            let view = ScoreboardView(room: room)
            while stopping.wait(timeout: .now() + 1) == .timedOut {
                view.show()
            }
            room.stop()
            // Let the response to /control/stop go out before the endpoint closes.
            Thread.sleep(forTimeInterval: 0.2)
            endpoint.stop()
            view.show(final: true)
            print("the session ended: reports and transcripts are in \(settings.directory)/")
        }
    }
}

/// Keeps signal sources alive for the process's life.
enum SignalSources {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    static func keep(_ source: any DispatchSourceSignal) { sources.append(source) }
}

/// The serve process's own view of the scoreboard: redrawn in place on a terminal, a block
/// of plain lines each virtual minute otherwise.
final class ScoreboardView {
    let room: Room
    let screen = TerminalScreen()
    private var lastMinute = -1

    init(room: Room) { self.room = room }

    func show(final: Bool = false) {
        let board = room.scoreboard()
        let elapsed = Int(board["elapsed"]?.intValue ?? 0)
        if !screen.redraws && !final {
            guard elapsed / 60 != lastMinute else { return }
            lastMinute = elapsed / 60
        }
        var lines = [
            "\(board["lab"]?.stringValue ?? "") t=\(elapsed)s of \(board["length"]?.intValue ?? 0)s"
                + (board["paused"]?.boolValue == true ? " (paused)" : "") + (board["over"]?.boolValue == true ? " (over)" : "")
                + ((board["behind"]?.intValue ?? 0) > 0 ? " — the clock fell \(board["behind"]?.intValue ?? 0) s behind" : ""),
        ]
        for (rank, learner) in (board["learners"]?.arrayValue ?? []).enumerated() {
            let steps = learner["steps"]?.arrayValue ?? []
            let done = steps.filter { $0["passed"]?.boolValue == true }.count
            var line = "\(rank + 1). \(learner["id"]?.stringValue ?? "")".padding(toLength: 24, withPad: " ", startingAt: 0)
            line += "\(learner["score"]?.intValue ?? 0)/\(learner["maxScore"]?.intValue ?? 0)".padding(toLength: 14, withPad: " ", startingAt: 0)
            line += "steps \(done)/\(steps.count)"
            if let last = learner["recent"]?.arrayValue?.last, last["points"]?.intValue == 0, let detail = last["detail"]?.stringValue, !detail.isEmpty {
                line += "  minute \(last["minute"]?.intValue ?? 0): 0 — \(detail.prefix(80))"
            }
            if let failure = learner["failure"]?.stringValue { line += "  ! \(failure.prefix(120))" }
            lines.append(line)
        }
        screen.draw(lines)
    }
}

/// The files a session writes for its people: each learner's AWS CLI credentials and config,
/// and the moderator's session.json. Only their owner may read them.
enum SessionFiles {
    static func write(room: Room, url: String, directory: String) throws {
        var learners: [Document] = []
        for id in room.learnerIDs {
            guard let identity = room.identity(id) else { continue }
            let folder = "\(directory)/\(id)"
            try secret("[default]\naws_access_key_id = \(identity.credentials.accessKeyID)\naws_secret_access_key = \(identity.credentials.secretAccessKey)\n", to: "\(folder)/credentials")
            try secret("[default]\nregion = \(room.lab.region)\noutput = json\nendpoint_url = \(url)\n", to: "\(folder)/config")
            learners.append([
                "id": .string(id), "account": .string(identity.accountID), "accessKeyId": .string(identity.credentials.accessKeyID),
                "credentials": .string("\(folder)/credentials"), "config": .string("\(folder)/config"),
                "transcript": .string("\(folder)/transcript.jsonl"), "page": .string("\(url)/learners/\(id)"),
            ])
        }
        let session: Document = [
            "lab": .string(room.lab.id), "url": .string(url), "moderatorToken": .string(room.moderatorToken), "learners": .array(learners),
        ]
        try secret((try session.prettyJSONText()) + "\n", to: "\(directory)/session.json")
    }

    private static func secret(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
