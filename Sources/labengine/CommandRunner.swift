import CloudSim
import Foundation
import Hashing
import LabEngine
import WireEndpoint
import WireProtocols

/// `--exec`: runs a learner's command (an AWS CLI or boto3 script) against the world's
/// account through the wire endpoint, before the run's time starts: the clock stands still
/// but for the command's own sleeps (``VirtualSleep``).
struct CommandRunner: CommandHost {
    /// Wall seconds a command may run before it is stopped.
    let timeout: Double
    /// Shows a command's outcome as soon as it ends (`run` prints it before the minutes run).
    var shown: ((CommandOutcome) -> Void)?

    /// The most output kept in the report's artifacts.
    static let outputLimit = 1 << 20

    func run(_ command: String, in directory: String?, on world: World) throws -> CommandOutcome {
        let account = world.account
        let credentials = Self.credentials(for: account)
        let dispatcher = WireDispatcher(
            accounts: [WireAccount(credentials: credentials, region: account.region) { [world] operation, request in
                try world.wireCall(operation, request)
            }],
            wallClock: { Date().timeIntervalSince1970 })
        // Empty AWS config files, so nothing of the host's AWS setup (profiles, real keys, SSO) takes part.
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("labengine-aws-empty-\(UUID().uuidString)")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        let clock = try VirtualSleep()
        defer { clock.remove() }
        let routes = EndpointRoutes(dispatcher: DispatcherGate(dispatcher), clock: clock, world: world)
        let endpoint = try WireEndpoint.start { routes.respond($0) }
        let outcome: CommandOutcome
        do {
            outcome = try world.countingCalls {
                let base = environment(endpoint: endpoint.url, credentials: credentials, region: account.region, config: empty.path)
                return try launch(command, in: directory, environment: clock.environment(base, endpoint: endpoint.url))
            }
        } catch {
            endpoint.stop()
            throw error
        }
        endpoint.stop()
        // The endpoint's thread has stopped: the count is safe to read.
        let counted = CommandOutcome(
            command: outcome.command, exitStatus: outcome.exitStatus, timedOut: outcome.timedOut, output: outcome.output,
            requests: dispatcher.served)
        shown?(counted)
        return counted
    }

    /// The command's endpoint: its sleeps, then AWS's operations. Both reach the world from
    /// the endpoint's one thread while the caller waits for the command, so never at once.
    private struct EndpointRoutes: @unchecked Sendable {
        let dispatcher: DispatcherGate
        let clock: VirtualSleep
        let world: World

        func respond(_ request: WireRequest) -> WireResponse {
            clock.respond(to: request) { try world.wait(seconds: $0) } ?? dispatcher.respond(to: request)
        }
    }

    /// Credentials of one account: derived from its ID and seed, so a run is reproducible,
    /// and unknown to any other account's endpoint.
    static func credentials(for account: CloudAccount) -> WireCredentials {
        let digest = Digest.sha256(Array("labengine:\(account.accountID):\(account.seed)".utf8))
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        let key = "AKIA" + String(decoding: digest.prefix(16).map { letters[Int($0 & 31)] }, as: UTF8.self)
        let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let secret = String(decoding: (digest.suffix(16) + digest.prefix(24)).map { secretAlphabet[Int($0 & 63)] }, as: UTF8.self)
        return WireCredentials(accessKeyID: key, secretAccessKey: secret)
    }

    /// The command's environment: the host's without any `AWS_` variable, then the endpoint,
    /// the credentials and the empty config file.
    private func environment(endpoint: String, credentials: WireCredentials, region: String, config: String) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        env["AWS_ENDPOINT_URL"] = endpoint
        env["AWS_ACCESS_KEY_ID"] = credentials.accessKeyID
        env["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
        env["AWS_DEFAULT_REGION"] = region
        env["AWS_REGION"] = region
        env["AWS_CONFIG_FILE"] = config
        env["AWS_SHARED_CREDENTIALS_FILE"] = config
        env["AWS_EC2_METADATA_DISABLED"] = "true"
        env["AWS_PAGER"] = ""
        return env
    }

    /// Runs the command to its end or its timeout; `requests` is filled in by the caller.
    private func launch(_ command: String, in directory: String?, environment: [String: String]) throws -> CommandOutcome {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("labengine-exec-\(getpid())-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output.path])
        }
        defer { try? FileManager.default.removeItem(at: output) }
        let log = try FileHandle(forWritingTo: output)
        defer { try? log.close() }
        let process = Process()
        // Foundation starts the shell as the leader of a process group of its own, so a
        // timeout stops the command and everything it started (kill of -pid).
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(-process.processIdentifier, SIGTERM)
            if done.wait(timeout: .now() + 2) == .timedOut {
                kill(-process.processIdentifier, SIGKILL)
                done.wait()
            }
        }
        let bytes = (try? Data(contentsOf: output)) ?? Data()
        var text = String(decoding: bytes.prefix(Self.outputLimit), as: UTF8.self)
        if bytes.count > Self.outputLimit { text += "\n… (\(bytes.count - Self.outputLimit) more bytes)\n" }
        return CommandOutcome(
            command: command, exitStatus: timedOut ? 124 : process.terminationStatus, timedOut: timedOut, output: text, requests: 0)
    }
}
