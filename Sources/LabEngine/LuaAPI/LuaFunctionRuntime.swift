import CloudSim
import DocumentModel
import Foundation
import LuaBridge

/// Runs Lambda function code written in Lua: each execution environment is its own
/// sandboxed state, and each invocation a coroutine that suspends at every SDK call.
final class LuaFunctionRuntime: FunctionRuntime {
    /// Unowned: the account's Lambda holds this runtime, and the runtime its environments.
    unowned let account: CloudAccount
    /// Instructions a handler may run between two SDK calls; past it the function times out.
    var instructionsPerStep = 20_000_000
    /// All execution environments together may hold this much: a thousand concurrent
    /// environments of 1 GiB each must not take the host down.
    let pool = MemoryPool(limit: 2 << 30)
    private var environments = 0

    init(account: CloudAccount) { self.account = account }

    func makeEnvironment(for function: LambdaFunction, log: @escaping (VirtualTime, String) -> Void) throws -> any FunctionEnvironment {
        environments += 1
        var streams = SeededRandom(seed: account.seed, stream: "function:\(function.name):\(environments)")
        let environment = LuaEnvironment(function: function, account: account, seed: streams.next())
        try environment.load(log: log, instructionLimit: instructionsPerStep, pool: pool)
        return environment
    }
}

/// One loaded copy of a function's code.
final class LuaEnvironment: FunctionEnvironment {
    let function: LambdaFunction
    unowned let account: CloudAccount
    var random: SeededRandom
    var state: LuaState?
    var handler: LuaFunction?
    var startFunction: LuaFunction?
    var resumeFunction: LuaFunction?
    var remaining: LuaFunction?
    /// The invocation running now (one at a time per environment).
    var current: InvocationContext?
    private var nextID: Int64 = 0

    init(function: LambdaFunction, account: CloudAccount, seed: UInt64) {
        self.function = function
        self.account = account
        random = SeededRandom(seed: seed)
    }

    func load(log: @escaping (VirtualTime, String) -> Void, instructionLimit: Int, pool: MemoryPool) throws {
        let entry = try Self.entry(of: function)
        var options = SandboxOptions(
            memoryLimit: min(function.memorySize, 1024) << 20, instructionLimit: instructionLimit, moduleRoots: entry.folders,
            seed: random.next(),
            output: { [weak self] line in log(self?.current?.now ?? .zero, line) })
        options.pool = pool
        options.files = entry.files
        do {
            let state = try LuaState(options: options)
            self.state = state
            HelperLibraries.install(in: state)
            installClockAndRandom(in: state)
            let arn = function.role
            let session = function.name
            let marker = try AWSBinding.install(in: state, yielding: true) { [unowned account] service, operation, request in
                try account.call(service, operation, request, as: .role(arn: arn, session: session))
            }
            let steps = try state.run(Self.stepScript, chunkName: "=runtime", arguments: [.callable(marker)])
            guard steps.count == 2, case .callable(let start as LuaFunction) = steps[0], case .callable(let resume as LuaFunction) = steps[1] else {
                throw FunctionCodeError(errorType: "Runtime.Unknown", message: "the Lua runtime did not start")
            }
            startFunction = start
            resumeFunction = resume
            remaining = state.makeFunction { [weak self] _ in [.int(self?.current?.remainingMilliseconds ?? 0)] }
            let results: [Document]
            do {
                results = try state.run(entry.source, chunkName: entry.chunkName)
            } catch where error.kind == .syntax {
                throw FunctionCodeError(errorType: "Runtime.UserCodeSyntaxError", message: error.description)
            } catch {
                throw FunctionCodeError(errorType: "Runtime.ImportModuleError", message: error.description)
            }
            self.handler = try Self.handler(in: results.first, entry: entry)
        } catch let error as LuaError {
            throw FunctionCodeError(errorType: "Runtime.Unknown", message: error.description)
        }
    }

    private func installClockAndRandom(in state: LuaState) {
        state.register("time.time") { [weak self] _ in [.double(self?.current?.now.unixSeconds ?? 0)] }
        state.register("random.random") { [weak self] _ in [.double(self?.random.unit() ?? 0)] }
        state.register("random.randint") { [weak self] args in
            guard let self, args.count >= 2, let low = args[0].intValue, let high = args[1].intValue, low <= high else {
                throw EngineError(code: "ValueError", message: "random.randint(a, b) needs integers a <= b")
            }
            return [.int(low + Int64(self.random.next() % UInt64(high - low + 1)))]
        }
        state.register("random.uniform") { [weak self] args in
            guard let self, args.count >= 2, let low = args[0].doubleValue, let high = args[1].doubleValue else {
                throw EngineError(code: "ValueError", message: "random.uniform(a, b) needs numbers")
            }
            return [.double(low + (high - low) * self.random.unit())]
        }
    }

    func start(event: any DocumentWritable, context: InvocationContext) -> any HandlerExecution {
        current = context
        nextID += 1
        let contextTable: Document = [
            "function_name": .string(function.name), "aws_request_id": .string(context.requestID),
            "memory_limit_in_mb": .int(Int64(context.memoryLimitMB)), "function_version": "$LATEST",
            "log_group_name": .string(function.logGroup),
            "invoked_function_arn": .string(function.arn),
            "get_remaining_time_in_millis": remaining.map { .callable($0) } ?? .null,
        ]
        return LuaExecution(environment: self, id: nextID, event: event, context: contextTable)
    }

    /// Drives a handler coroutine; the host never touches the coroutine itself.
    static let stepScript = """
        local markHandler = ...
        local create, resume, status, pack = coroutine.create, coroutine.resume, coroutine.status, table.pack
        local threads = {}
        local function step(id, co, ...)
          markHandler(co)
          local r = pack(resume(co, ...))
          markHandler(nil)
          if not r[1] then threads[id] = nil return "error", r[2] end
          if status(co) == "dead" then threads[id] = nil return "done", r[2] end
          if r[2] == "__aws_call" then return "call", r[3], r[4], r[5] end
          if r[2] == "__sleep" then return "sleep", r[3] end
          threads[id] = nil
          return "error", "the handler yielded a value: only SDK calls and time.sleep may suspend it"
        end
        local function start(id, handler, event, context)
          local co = create(handler)
          threads[id] = co
          return step(id, co, event, context)
        end
        local function continue(id, ...)
          local co = threads[id]
          if co == nil then return "error", "the invocation has ended" end
          return step(id, co, ...)
        end
        time.sleep = function(seconds)
          if type(seconds) ~= "number" or seconds < 0 then error("time.sleep expects a number of seconds", 2) end
          coroutine.yield("__sleep", seconds)
        end
        return start, continue
        """
}

/// One invocation's coroutine, stepped by the platform.
final class LuaExecution: HandlerExecution {
    let environment: LuaEnvironment
    let id: Int64
    var pending: (event: any DocumentWritable, context: Document)?

    init(environment: LuaEnvironment, id: Int64, event: any DocumentWritable, context: Document) {
        self.environment = environment
        self.id = id
        pending = (event, context)
    }

    func resume(with outcome: Result<any DocumentWritable, AWSError>?) -> (step: HandlerStep, instructions: Int) {
        guard let state = environment.state, let startFunction = environment.startFunction,
            let continueFunction = environment.resumeFunction, let handler = environment.handler
        else {
            return (.raised(errorType: "Runtime.Unknown", message: "the environment is gone"), 0)
        }
        do {
            // A yielded SDK call's request table is read straight into its input where the
            // operation has one (TypedRequest), with no document made of it.
            let read = { (first: [Document], request: LuaValueView) -> TypedRequest? in
                guard first.count == 3, first[0].stringValue == "call", first[1].stringValue == "dynamodb",
                    first[2].stringValue == "UpdateItem", let update = UpdateItemRequest(reading: request)
                else { return nil }
                return TypedRequest(updateItem: update)
            }
            let (results, typed): ([Document], TypedRequest?)
            if let pending {
                self.pending = nil
                (results, typed) = try state.call(
                    startFunction, writing: [Document.int(id), Document.callable(handler), pending.event, pending.context],
                    readingLast: read)
            } else if case .success(let value)? = outcome, !(value is Document) {
                // A response that writes itself (PutRecords', GetRecords') goes into Lua as it is.
                (results, typed) = try state.call(continueFunction, writing: [Document.int(id), Document.bool(true), value], readingLast: read)
            } else {
                // Each list made whole: appending to `[id]` grew it on every step.
                let arguments: [Document]
                switch outcome {
                case .success(let value)?: arguments = [.int(id), .bool(true), Document(writing: value)]
                case .failure(let error)?:
                    var fields = error.fields
                    fields["code"] = .string(error.code)
                    fields["message"] = .string(error.message)
                    arguments = [.int(id), .bool(false), .map(fields)]
                case nil: arguments = [.int(id), .bool(true), .null]
                }
                (results, typed) = try state.call(continueFunction, arguments, readingLast: read)
            }
            let instructions = state.lastInstructionCount
            if state.instructionLimitHit { return (.exhausted, instructions) }
            if let typed { return (.call(service: "dynamodb", operation: "UpdateItem", request: .typed(typed)), instructions) }
            return (Self.step(from: results, memoryHit: state.memoryLimitHit), instructions)
        } catch {
            switch error.kind {
            case .instructionLimit: return (.exhausted, state.lastInstructionCount)
            case .memoryLimit: return (.outOfMemory(error.description), state.lastInstructionCount)
            default: return (.raised(errorType: "Runtime.Unknown", message: error.description), state.lastInstructionCount)
            }
        }
    }

    static func step(from results: [Document], memoryHit: Bool) -> HandlerStep {
        let kind = results.first?.stringValue ?? "error"
        switch kind {
        case "call":
            guard results.count >= 4, let service = results[1].stringValue, let operation = results[2].stringValue else {
                return .raised(errorType: "Runtime.Unknown", message: "malformed SDK call")
            }
            return .call(service: service, operation: operation, request: .document(results[3]))
        case "sleep":
            // A forged yield could carry anything: time never runs backwards.
            let seconds = results.count > 1 ? results[1].doubleValue ?? 0 : 0
            return .sleep(.seconds(seconds.isFinite ? min(max(seconds, 0), 86_400) : 0))
        case "done": return .returned(results.count > 1 ? results[1] : .null)
        default:
            let value = results.count > 1 ? results[1] : .null
            if memoryHit, value.stringValue?.contains("not enough memory") == true {
                return .outOfMemory("Runtime exited with error: out of memory")
            }
            if let fields = value.mapValue {
                let message = fields["message"]?.stringValue ?? (try? value.jsonText()) ?? "error"
                let place = fields["where"]?.stringValue ?? ""
                return .raised(errorType: fields["code"]?.stringValue ?? "Error", message: place.isEmpty ? message : "\(place) \(message)")
            }
            return .raised(errorType: "Error", message: value.stringValue ?? "error object is a \(value.kindName)")
        }
    }
}

/// The chunk an environment loads first and where `require` looks, from the function's code.
struct FunctionEntry {
    let source: String
    let chunkName: String
    /// The function `Handler` names (after its last dot), when the chunk returns a table.
    let functionName: String?
    let folders: [String]
    let files: [String: String]
}

extension LuaEnvironment {
    /// `Source` code is one chunk whose folder `require` may read; in a package, `Handler`
    /// (`app.handler`, `src/app.handler`) names the file `app.lua` and its function `handler`.
    static func entry(of function: LambdaFunction) throws -> FunctionEntry {
        switch function.code {
        case .source(let text, let path, let folder):
            let folders = folder.map { [$0] } ?? []
            // The chunk may return the handler itself or, as in a package, a table holding the
            // function `Handler` names.
            let name = function.handler.split(separator: ".").last.map(String.init)
            return FunctionEntry(source: text, chunkName: path, functionName: name, folders: folders, files: [:])
        case .package(let files, _):
            guard let dot = function.handler.lastIndex(of: "."), dot != function.handler.startIndex else {
                throw FunctionCodeError(
                    errorType: "Runtime.MalformedHandlerName",
                    message: "Bad handler '\(function.handler)': it must be FILE.FUNCTION, e.g. app.handler for handler in app.lua")
            }
            let module = String(function.handler[..<dot])
            let name = String(function.handler[function.handler.index(after: dot)...])
            guard let source = files["\(module).lua"] else {
                throw FunctionCodeError(
                    errorType: "Runtime.ImportModuleError",
                    message: "Unable to import module '\(module)': no \(module).lua in the deployment package (it has \(files.keys.sorted().joined(separator: ", ")))")
            }
            return FunctionEntry(source: source, chunkName: "\(module).lua", functionName: name, folders: [], files: files)
        }
    }

    /// The handler a loaded chunk gives: the function it returns, or for a package the
    /// function `Handler` names in the table it returns.
    static func handler(in result: Document?, entry: FunctionEntry) throws -> LuaFunction {
        if case .callable(let handler as LuaFunction)? = result { return handler }
        if let name = entry.functionName, case .callable(let handler as LuaFunction)? = result?[name] { return handler }
        let name = entry.functionName ?? "handler"
        throw FunctionCodeError(
            errorType: "Runtime.HandlerNotFound",
            message: "\(entry.chunkName): \(name) is undefined or not exported: return the handler, return function(event, context) … end, or a table with it, return { \(name) = function(event, context) … end }")
    }
}
