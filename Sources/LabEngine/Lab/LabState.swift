import CloudSim
import DocumentModel
import Foundation
import LuaBridge

/// The Lua state a lab (and the plugins it names) runs in. Its `aws` acts as the
/// administrator of whichever world is running; learners' actions run elsewhere.
final class LabState {
    let lua: LuaState
    let directory: String
    /// The run the lab's callbacks act on now (world building, scoring, checks).
    var run: RunContext?
    let plugins: PluginRegistry
    /// Checks that ran out of their budget, with the message they got: they are not run
    /// again in this state, so an endless loop costs its budget once (a self-test runs
    /// each check in many worlds).
    var spentChecks: [String: String] = [:]
    /// The `ctx` given to checks and the `run` given to scoring rules (built once).
    private(set) var checkContext: Document = .null
    private(set) var runObject: Document = .null
    /// The global `aws` of the lab state, passed to world and solve functions.
    private(set) var awsClient: Document = .null

    init(directory: String, pluginsDirectory: String) throws {
        self.directory = directory
        plugins = PluginRegistry(directory: pluginsDirectory)
        lua = try LuaState(
            options: SandboxOptions(
                memoryLimit: 512 << 20, instructionLimit: 500_000_000, moduleRoots: [directory, pluginsDirectory], seed: 1,
                output: { FileHandleOutput.write($0) }))
        HelperLibraries.install(in: lua)
        try AWSBinding.install(in: lua, yielding: false) { [unowned self] service, operation, request in
            guard let world = self.run?.world else {
                throw EngineError(code: "NoWorld", message: "aws calls are only possible while a world is running (in world, solve, check or scoring functions)")
            }
            return try world.adminResponse(service, operation, request)
        }
        try installEngineAPI()
        World.installSleep(in: lua) { [unowned self] in try self.requireRun().world }
    }

    /// Runs a Lua file of the lab or a plugin and returns its value.
    func evaluate(file path: String) throws -> Document {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabError(file: path, message: "cannot read the file")
        }
        do {
            return try lua.run(String(decoding: data, as: UTF8.self), chunkName: path).first ?? .null
        } catch {
            throw LabError(error, file: path)
        }
    }

    /// Calls one of the lab's functions during `run`, turning Lua failures into lab errors.
    func call(_ function: any DocumentCallable, _ arguments: [Document], during run: RunContext, what: String) throws -> [Document] {
        let saved = self.run
        self.run = run
        defer { self.run = saved }
        do {
            return try function.call(arguments)
        } catch let error as LuaError {
            throw LabError(file: error.chunk, line: error.line, message: "\(what): \(error.message)")
        }
    }

    private func installEngineAPI() throws {
        let engine: [String: Document] = [
            "iam_allowed": .callable(lua.makeFunction { [unowned self] args in try self.requireRun().iamAllowed(args) }),
            "items": .callable(lua.makeFunction { [unowned self] args in try self.requireRun().items(args) }),
            "messages": .callable(lua.makeFunction { [unowned self] args in try self.requireRun().messages(args) }),
            "logs": .callable(lua.makeFunction { [unowned self] args in try self.requireRun().logLines(args) }),
            "metrics": .callable(lua.makeFunction { [unowned self] args in try self.requireRun().metrics(args) }),
            "mappings": .callable(lua.makeFunction { [unowned self] args in try self.requireRun().mappings(args) }),
            "functions": .callable(lua.makeFunction { [unowned self] _ in try self.requireRun().functions() }),
            "faults": .callable(lua.makeFunction { [unowned self] _ in try self.requireRun().injectedFaults() }),
            "transactions": .callable(lua.makeFunction { [unowned self] _ in
                let counts = try self.requireRun().world.account.dynamodb.transactionCounts
                return [["calls": .int(Int64(counts.calls)), "with_token": .int(Int64(counts.withToken)), "replayed": .int(Int64(counts.replayed))]]
            }),
            "info": .callable(lua.makeFunction { [unowned self] _ in [try self.requireRun().info()] }),
            "now": .callable(lua.makeFunction { [unowned self] _ in [.double(try self.requireRun().world.account.scheduler.now.seconds)] }),
            "unix_time": .callable(lua.makeFunction { [unowned self] _ in [.double(try self.requireRun().world.account.scheduler.now.unixSeconds)] }),
            "after": .callable(lua.makeFunction { [unowned self] args in try self.requireRun().after(args, state: self) }),
            "award": .callable(lua.makeFunction { [unowned self] args in try self.requireRun().award(args) }),
            "set_phase": .callable(lua.makeFunction { [unowned self] args in try self.requireRun().setPhase(args) }),
            "random": .callable(lua.makeFunction { [unowned self] _ in [.double(try self.requireRun().random.unit())] }),
            "randint": .callable(lua.makeFunction { [unowned self] args in try self.requireRun().randint(args) }),
            "uuid": .callable(lua.makeFunction { [unowned self] _ in
                let run = try self.requireRun()
                return [.string(run.random.uuid())]
            }),
            "log": .callable(lua.makeFunction { [unowned self] args in
                try self.requireRun().log(args.first?.stringValue ?? "")
                return []
            }),
        ]
        let built = try lua.run(Self.engineScript, chunkName: "=engine", arguments: [.map(engine)])
        guard built.count == 2 else { throw LabError(file: nil, message: "the engine API did not initialise") }
        checkContext = built[0]
        runObject = built[1]
        awsClient = try lua.global("aws")
    }

    /// Makes the check helpers plugins registered reachable as `ctx.plugins.<plugin>.<helper>`.
    func attachPluginHelpers() {
        guard case .map(var m) = checkContext else { return }
        m["plugins"] = .map(plugins.checkHelpers.mapValues { .map($0) })
        checkContext = .map(m)
    }

    func requireRun() throws -> RunContext {
        guard let run else { throw EngineError(code: "NoRun", message: "this engine function is only available while a lab runs") }
        return run
    }

    /// Builds `ctx` (read-only views for checks) and `run` (for scoring rules).
    static let engineScript = """
        local engine = ...
        local ctx = {
          aws = aws, -- read-only while checks run: the world refuses changes
          iam = { allowed = engine.iam_allowed },
          items = engine.items, messages = engine.messages, logs = engine.logs, metrics = engine.metrics, mappings = engine.mappings,
          functions = engine.functions, transactions = engine.transactions, faults = engine.faults,
          info = engine.info,
        }
        local run = {
          aws = aws, now = engine.now, unix_time = engine.unix_time, after = engine.after, award = engine.award,
          set_phase = engine.set_phase, random = engine.random, randint = engine.randint, uuid = engine.uuid,
          log = engine.log, info = engine.info, items = engine.items, messages = engine.messages,
        }
        return ctx, run
        """
}

/// Where a lab's own `print` goes: standard error, so it never mixes with reports.
enum FileHandleOutput {
    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
