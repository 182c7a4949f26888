import CloudSim
import DocumentModel

/// One thing the learner brings, in the order given: a Lua actions file, or a command
/// (an AWS CLI or boto3 script) run against the account's wire endpoint.
public enum LearnerStep: Sendable, Equatable {
    case actions(String)
    /// A shell command, run in `directory` (nil: the current one).
    case command(String, directory: String? = nil)
}

/// What a learner's command did.
public struct CommandOutcome: Sendable, Equatable {
    public let command: String
    /// The exit status; 124 when it was stopped at its timeout (as `timeout(1)` reports it).
    public let exitStatus: Int32
    public let timedOut: Bool
    /// Standard output and error, interleaved as written (kept to the first megabyte).
    public let output: String
    /// Requests the endpoint answered while the command ran.
    public let requests: Int

    public init(command: String, exitStatus: Int32, timedOut: Bool, output: String, requests: Int) {
        self.command = command
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.output = output
        self.requests = requests
    }
}

/// Runs learners' commands against a world: starts the account's wire endpoint before time
/// starts (the clock moves only by the command's sleeps, ``World/wait(seconds:)``), runs the
/// command with credentials for it, and stops the endpoint. The CLI provides one (the lab
/// engine itself opens no sockets).
public protocol CommandHost {
    /// - Throws: when the endpoint cannot start or the command cannot be launched.
    func run(_ command: String, in directory: String?, on world: World) throws -> CommandOutcome
}

extension World {
    /// One request from the wire endpoint, as the account's administrator: the same limits
    /// as an actions file's calls (no writes during checks, a bounded number of calls while
    /// time stands still).
    package func wireCall(_ operation: OperationDescriptor, _ request: Document) throws -> Document {
        try countActionCall()
        return try perform(operation, request, recorded: recordsLearnerCalls, sourceFiles: false)
    }
}
