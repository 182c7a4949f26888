import CloudSim
import DocumentModel
import Foundation
import LuaBridge

/// A simulated account with Lua function code, and the admin `aws` API for setup
/// scripts and learners' actions files.
public final class World {
    public let account: CloudAccount
    let runtime: LuaFunctionRuntime
    /// The folder `SourceFile` paths are relative to while an actions file runs.
    var baseDirectory = FileManager.default.currentDirectoryPath
    /// Folders `require` may load from in actions files (set before the first one runs;
    /// the runner adds the actions files' own folders).
    var moduleRoots: [String]
    private var adminState: LuaState?

    /// - Parameters:
    ///   - seed: the run's seed; every random choice derives from it.
    ///   - recordsLearnerCalls: keep every changing call of the learner's (actions files,
    ///     scheduled actions, the wire endpoint) in ``learnerCalls``, for a transcript.
    ///   - printed: receives each line an actions file prints, as it prints it.
    public init(
        seed: UInt64, region: String = "us-west-2", accountID: String = "123456789012", moduleRoots: [String] = [],
        recordsLearnerCalls: Bool = false, printed: ((String) -> Void)? = nil
    ) {
        self.recordsLearnerCalls = recordsLearnerCalls
        account = CloudAccount(region: region, accountID: accountID, seed: seed)
        runtime = LuaFunctionRuntime(account: account)
        account.lambda.runtime = runtime
        self.moduleRoots = moduleRoots
        self.printed = printed
    }

    /// What actions files printed, each line prefixed with its `file:line` (`actions.log`).
    public private(set) var actionsOutput: [String] = []
    private let printed: ((String) -> Void)?

    let recordsLearnerCalls: Bool
    /// The learner's changing calls since they were last taken (see ``takeLearnerCalls()``).
    private var learnerCalls: [(service: String, operation: String, request: Document, error: String?)] = []
    /// Actions scheduled with `at(seconds, fn)`, in the order they are due.
    var scheduled: [ScheduledAction] = []
    var scheduledCount = 0

    /// Whether `SourceFile` may read the host's files. A live session's learner acts from
    /// another machine: their paths mean nothing here, and the session's files are not theirs.
    package var readsSourceFiles = true
    /// Instructions one actions file (or one scheduled action) may run.
    package var actionInstructionLimit = 200_000_000

    /// While true (during checks), only reading operations are allowed.
    var readOnly = false
    /// Whether the run's time has started (failure modes and scoring on); waiting with
    /// `sleep` is only possible before.
    package var timeStarted = false
    /// Virtual seconds waited with `sleep` before time started.
    var waited = 0.0

    /// Calls one actions run may make: virtual time stands still while actions run, so a
    /// loop of calls could otherwise fill the host's memory without bound.
    public var actionCallLimit = 200_000
    private var actionCalls = 0
    private var countingActions = false

    /// Calls an operation as the administrator, resolving `SourceFile` for function code.
    public func adminCall(_ service: String, _ operation: String, _ request: Document) throws -> Document {
        try countActionCall()
        return try perform(try account.descriptor(service, operation), request, recorded: false)
    }

    /// ``adminCall(_:_:_:)`` whose response may write itself into the lab state's Lua.
    func adminResponse(_ service: String, _ operation: String, _ request: Document) throws -> any DocumentWritable {
        try countActionCall()
        return try respond(try account.descriptor(service, operation), request, recorded: false)
    }

    /// A call of the learner's actions: the admin's, recorded when it changes the account.
    func learnerCall(_ service: String, _ operation: String, _ request: Document) throws -> Document {
        try countActionCall()
        return try perform(try account.descriptor(service, operation), request, recorded: recordsLearnerCalls)
    }

    /// One counted call as the administrator: refused during checks when it writes, and kept
    /// for the transcript when `recorded` and it writes.
    /// - Parameter sourceFiles: resolve `SourceFile` (actions files; the wire has no such member).
    func perform(_ descriptor: OperationDescriptor, _ request: Document, recorded: Bool, sourceFiles: Bool = true) throws -> Document {
        Document(writing: try respond(descriptor, request, recorded: recorded, sourceFiles: sourceFiles))
    }

    /// ``perform(_:_:recorded:sourceFiles:)`` whose response may write itself.
    private func respond(_ descriptor: OperationDescriptor, _ request: Document, recorded: Bool, sourceFiles: Bool = true) throws -> any DocumentWritable {
        if readOnly, descriptor.access == .write {
            throw EngineError(
                code: "ReadOnlyWorld",
                message: "checks cannot change the world: \(descriptor.service.rawValue).\(descriptor.name) is not allowed in a check")
        }
        let resolved = sourceFiles ? try resolveSourceFiles(descriptor.service.rawValue, descriptor.name, request) : request
        guard recorded, descriptor.access == .write else { return try account.respond(descriptor, resolved, as: .admin) }
        return try record(descriptor, resolved) { try account.call(descriptor, resolved, as: .admin) }
    }

    /// Runs a changing call and keeps it, with its outcome, for the transcript.
    private func record(_ operation: OperationDescriptor, _ request: Document, _ perform: () throws -> Document) throws -> Document {
        do {
            let response = try perform()
            learnerCalls.append((operation.service.rawValue, operation.name, request, nil))
            return response
        } catch {
            // A refused call is kept too: a replay must refuse it the same way, at the same point.
            learnerCalls.append((operation.service.rawValue, operation.name, request, (error as? any CodedError)?.code ?? "InternalFailure"))
            throw error
        }
    }

    /// The learner's changing calls recorded since the last time they were taken, as
    /// transcript entries of the virtual second `seconds` (calls happen between seconds).
    package func takeLearnerCalls(stampedAt seconds: Int) -> [Transcript.Entry] {
        defer { learnerCalls.removeAll() }
        return learnerCalls.map { Transcript.Entry(seconds: seconds, service: $0.service, operation: $0.operation, request: $0.request, error: $0.error) }
    }

    /// Counts one call of an actions run or a learner's command against ``actionCallLimit``.
    func countActionCall() throws {
        if countingActions { actionCalls += 1 }
        if actionCalls > actionCallLimit {
            throw EngineError(
                code: "LimitExceededException",
                message: "more than \(actionCallLimit) AWS calls in one go: virtual time does not pass while actions run, so this is refused")
        }
    }

    /// `SourceFile = PATH` (top level or in `Code`) becomes `Source` with the file's text.
    func resolveSourceFiles(_ service: String, _ operation: String, _ request: Document) throws -> Document {
        guard service == "lambda", operation == "UpdateFunctionCode" || operation == "CreateFunction", case .map(var m) = request else {
            return request
        }
        func load(_ holder: inout [String: Document]) throws {
            guard let path = holder["SourceFile"]?.stringValue else { return }
            guard readsSourceFiles else {
                throw EngineError(
                    code: "InvalidParameterValueException",
                    message: "SourceFile '\(path)' cannot be read in a live session: the file is on your machine, not the session's; put the code in the actions file (Code = { Source = [[…]] }) or send a zip with the AWS CLI (--zip-file fileb://…)")
            }
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: baseDirectory).appendingPathComponent(path)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw EngineError(
                    code: "InvalidParameterValueException",
                    message: "SourceFile '\(path)' cannot be read (looked at \(url.standardizedFileURL.path))")
            }
            holder["SourceFile"] = nil
            holder["Source"] = .string(String(decoding: data, as: UTF8.self))
            // Logs and errors name the file as the learner named it, not a host path.
            holder["SourcePath"] = .string(path)
            holder["SourceFolder"] = .string(url.standardizedFileURL.deletingLastPathComponent().path)
        }
        try load(&m)
        if case .map(var code)? = m["Code"] {
            try load(&code)
            m["Code"] = .map(code)
        }
        return .map(m)
    }

    /// The admin state that actions and lab scripts run in (created once).
    func admin() throws -> LuaState {
        if let adminState { return adminState }
        // An actions file's print goes to the learner, as a script's output would, naming
        // the line that printed it.
        var options = SandboxOptions(
            memoryLimit: 256 << 20, instructionLimit: actionInstructionLimit, moduleRoots: moduleRoots, seed: account.seed,
            output: { [weak self] line in
                self?.actionsOutput.append(line)
                self?.printed?(line)
            })
        options.locatePrints = true
        let state = try LuaState(options: options)
        HelperLibraries.install(in: state)
        try AWSBinding.install(in: state, yielding: false) { [unowned self] service, operation, request in
            try self.learnerCall(service, operation, request)
        }
        try installScheduling(in: state)
        Self.installSleep(in: state) { [unowned self] in self }
        adminState = state
        return state
    }

    /// Runs a Lua actions file as the administrator.
    /// - Throws: ``LabError`` naming the file and line that failed.
    public func runActions(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabError(file: path, message: "cannot read the actions file")
        }
        try runActions(source: String(decoding: data, as: UTF8.self), chunkName: path,
            baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Runs `body` (a learner's command) with its calls counted as an actions file's are.
    package func countingCalls<T>(_ body: () throws -> T) rethrows -> T {
        actionCalls = 0
        countingActions = true
        defer {
            countingActions = false
            actionCalls = 0
        }
        return try body()
    }

    /// Runs Lua source as the administrator, with `SourceFile` paths relative to `baseDirectory`.
    public func runActions(source: String, chunkName: String, baseDirectory: String) throws {
        let saved = self.baseDirectory
        self.baseDirectory = baseDirectory
        defer { self.baseDirectory = saved }
        try countingCalls {
            do {
                _ = try admin().run(source, chunkName: chunkName)
            } catch let error as LuaError {
                throw LabError(error, file: chunkName)
            }
        }
    }

    /// Runs virtual time forward by `duration`.
    public func run(for duration: VirtualDuration) {
        account.run(until: account.scheduler.now + duration)
    }
}
