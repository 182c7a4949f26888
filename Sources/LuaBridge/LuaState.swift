import CLua
import DocumentModel
import LuaShim

/// A Swift closure callable from Lua. Arguments arrive converted; results are pushed back.
public typealias HostFunction = ([Document]) throws -> [Document]

/// A Swift closure that reads its arguments and pushes its results on the Lua stack
/// itself; returns how many results it pushed.
public typealias RawHostFunction = (LuaStack) throws -> Int

enum HostEntry {
    case documents(HostFunction)
    case raw(RawHostFunction)
}

/// One sandboxed Lua interpreter. It owns its `lua_State`, closes it exactly once, and
/// is used from one thread at a time.
///
/// Every call runs under an instruction budget and the state's memory cap; errors come
/// back as ``LuaError`` and leave the state usable.
public final class LuaState {
    let L: OpaquePointer
    private let limits: UnsafeMutablePointer<LuaShimLimits>
    private(set) var closed = false
    /// Keeps the shared pool alive as long as this state draws on it.
    private let pool: MemoryPool?
    var hostFunctions: [HostEntry] = []
    var hostErrors: [Int: any Error] = [:]
    private var nextHostErrorID = 1
    private var depth = 0
    let options: SandboxOptions

    /// Where this state keeps the strings of the host's literals (see ``Literals``).
    let literalSlots = LiteralSlots()
    /// The Swift strings of table keys converted lately.
    let keyStrings = KeyStrings()

    /// Instructions the last outermost call ran (counted in steps of the hook interval).
    public private(set) var lastInstructionCount = 0

    /// Creates a sandboxed state (see ``SandboxOptions``).
    /// - Throws: ``LuaError`` if Lua cannot allocate the state or the sandbox prelude fails.
    public init(options: SandboxOptions = SandboxOptions()) throws(LuaError) {
        Self.installDispatch
        self.options = options
        pool = options.pool
        limits = .allocate(capacity: 1)
        limits.initialize(to: LuaShimLimits())
        limits.pointee.memoryLimit = options.memoryLimit
        limits.pointee.instructionLimit = Int64(options.instructionLimit)
        limits.pointee.hookInterval = 1000
        limits.pointee.pool = options.pool?.pointer
        guard let state = luashim_newstate(limits) else {
            limits.deallocate()
            throw LuaError(kind: .memoryLimit, message: "cannot create a Lua state")
        }
        L = state
        luashim_open_safe_libs(L)
        lua_createtable(L, 0, 0)
        lua_createtable(L, 0, 1)
        lua_pushstring(L, "k")
        lua_setfield(L, -2, "__mode")
        lua_setmetatable(L, -2)
        lua_setfield(L, luashim_registryindex(), "labengine.hosterrors")
        try Sandbox.install(in: self)
    }

    deinit { close() }

    /// Closes the state now; later calls fail. Closing twice does nothing.
    public func close() {
        guard !closed else { return }
        closed = true
        lua_close(L)
        limits.deallocate()
    }

    /// The instruction budget of each outermost call (0 or less: unlimited).
    public var instructionLimit: Int {
        get { Int(limits.pointee.instructionLimit) }
        set { limits.pointee.instructionLimit = Int64(newValue) }
    }

    /// Whether the last outermost call ran into the instruction limit (even if the script
    /// caught the error inside a coroutine).
    public var instructionLimitHit: Bool { limits.pointee.instructionExceeded != 0 }

    /// Whether an allocation was refused during the last outermost call.
    public var memoryLimitHit: Bool { limits.pointee.memoryExceeded != 0 }

    /// Bytes the state holds now.
    public var memoryUsed: Int { Int(limits.pointee.memoryUsed) }

    /// Compiles a text chunk. `chunkName` is how errors name it (a file path); a name that
    /// starts with `=` marks the engine's own code, which error locations skip.
    /// - Throws: ``LuaError`` of kind `.syntax` with the line of the first error.
    public func load(_ source: String, chunkName: String) throws(LuaError) -> LuaFunction {
        try checkOpen()
        var text = source
        let status = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                luashim_load(L, chars.baseAddress, chars.count, chunkName.hasPrefix("=") ? chunkName : "@" + chunkName)
            }
        }
        guard status == LUA_OK else {
            let message = Self.string(L, -1) ?? "syntax error"
            luashim_pop(L, 1)
            let parts = LuaError.split(message)
            return try { () throws(LuaError) -> LuaFunction in
                throw LuaError(kind: .syntax, message: parts.message, chunk: chunkName, line: parts.line)
            }()
        }
        return LuaFunction(state: self, ref: luaL_ref(L, luashim_registryindex()))
    }

    /// Compiles and runs a chunk, returning what it returns.
    public func run(_ source: String, chunkName: String, arguments: [Document] = []) throws(LuaError) -> [Document] {
        let function = try load(source, chunkName: chunkName)
        return try call(function, arguments)
    }

    /// Calls a Lua function with arguments and returns all its results. Functions among
    /// the results come back as ``Document/callable(_:)``.
    /// - Throws: ``LuaError``: a runtime error, a limit, or a host error the script did not catch.
    public func call(_ function: LuaFunction, _ arguments: [Document]) throws(LuaError) -> [Document] {
        try call(function, count: arguments.count) { L in
            for argument in arguments { push(argument, on: L) }
        }
    }

    /// Calls a Lua function with arguments that write themselves into Lua (large events go
    /// straight into tables, with no document built first); otherwise as ``call(_:_:)``.
    public func call(_ function: LuaFunction, writing arguments: [any DocumentWritable]) throws(LuaError) -> [Document] {
        try call(function, count: arguments.count) { L in pushWriting(arguments, on: L) }
    }

    /// As ``call(_:writing:)``, but the last result is first offered to `read` as it lies on
    /// the stack, with the results before it as documents: when `read` takes it (returns a
    /// value), no document is made of it and `results` ends before it.
    package func call<Taken>(
        _ function: LuaFunction, writing arguments: [any DocumentWritable], readingLast read: ([Document], LuaValueView) -> Taken?
    ) throws(LuaError) -> (results: [Document], last: Taken?) {
        try call(function, count: arguments.count, pushArguments: { L in pushWriting(arguments, on: L) }, readingLast: read)
    }

    /// As ``call(_:writing:readingLast:)`` with documents as arguments (no cast of each).
    package func call<Taken>(
        _ function: LuaFunction, _ arguments: [Document], readingLast read: ([Document], LuaValueView) -> Taken?
    ) throws(LuaError) -> (results: [Document], last: Taken?) {
        try call(function, count: arguments.count, pushArguments: { L in for argument in arguments { push(argument, on: L) } }, readingLast: read)
    }

    private func call<Taken>(
        _ function: LuaFunction, count: Int, pushArguments: (OpaquePointer) -> Void, readingLast read: ([Document], LuaValueView) -> Taken?
    ) throws(LuaError) -> (results: [Document], last: Taken?) {
        var taken: Taken?
        let results = try call(function, count: count, pushArguments: pushArguments) { L, top, results in
            taken = read(results, LuaValueView(L: L, index: top, state: self))
            return taken == nil
        }
        return (results, taken)
    }

    private func pushWriting(_ arguments: [any DocumentWritable], on L: OpaquePointer) {
        let literals = Literals.push(on: L)
        for argument in arguments {
            if let document = argument as? Document {
                push(document, on: L)
            } else {
                var pusher = LuaJSONPusher(L: L, literals: literals, slots: literalSlots)
                argument.write(into: &pusher)
            }
        }
        Literals.remove(at: literals, on: L)
    }

    /// Calls `function` and makes its results documents; `convertLast` is asked
    /// (with the stack's top and the results before it) whether the last one is made one too.
    private func call(
        _ function: LuaFunction, count: Int, pushArguments: (OpaquePointer) -> Void,
        convertLast: (OpaquePointer, Int32, [Document]) -> Bool = { _, _, _ in true }
    ) throws(LuaError) -> [Document] {
        try checkOpen()
        guard function.state === self else {
            throw LuaError(kind: .runtime, message: "function belongs to another Lua state")
        }
        let outermost = depth == 0
        if outermost {
            hostErrors.removeAll(keepingCapacity: true)
            luashim_arm_limits(L)
        }
        depth += 1
        defer { depth -= 1 }
        let base = lua_gettop(L)
        lua_rawgeti(L, luashim_registryindex(), lua_Integer(function.ref))
        lua_checkstack(L, Int32(clamping: count + 4))
        pushArguments(L)
        let status = luashim_pcall(L, Int32(count), luashim_multret())
        if outermost { lastInstructionCount = Int(limits.pointee.instructionsUsed) }
        guard status == LUA_OK else {
            let error = errorFromStack(status: status)
            lua_settop(L, base)
            if error.kind == .memoryLimit || (outermost && error.kind == .instructionLimit) {
                luashim_full_gc(L)
            }
            throw error
        }
        defer { lua_settop(L, base) }
        var results: [Document] = []
        let top = lua_gettop(L)
        if top > base {
            results.reserveCapacity(Int(top - base))
            for index in (base + 1)..<top {
                results.append(try document(at: index, on: L, keepFunctions: true))
            }
            if convertLast(L, top, results) {
                results.append(try document(at: top, on: L, keepFunctions: true))
            }
        }
        return results
    }

    /// Sets a global variable of the sandbox.
    public func setGlobal(_ name: String, _ value: Document) {
        guard !closed else { return }
        push(value, on: L)
        lua_setglobal(L, name)
    }

    /// Reads a global variable (functions come back as callables).
    /// - Throws: ``LuaError`` of kind `.conversion` for values that cannot cross (userdata, cycles).
    public func global(_ name: String) throws(LuaError) -> Document {
        try checkOpen()
        lua_getglobal(L, name)
        defer { luashim_pop(L, 1) }
        return try document(at: -1, on: L, keepFunctions: true)
    }

    /// Wraps a Swift closure as a Lua function value.
    public func makeFunction(_ body: @escaping HostFunction) -> LuaFunction {
        pushHostFunction(body, on: L)
        return LuaFunction(state: self, ref: luaL_ref(L, luashim_registryindex()))
    }

    /// Installs a Swift closure at a dotted global path (`"hashlib.md5"`), creating tables on the way.
    public func register(_ path: String, _ body: @escaping HostFunction) {
        installAtPath(path) { L in pushHostFunction(body, on: L) }
    }

    /// Sets the value `pushValue` pushes at a dotted global path, creating tables on the way.
    func installAtPath(_ path: String, _ pushValue: (OpaquePointer) -> Void) {
        guard !closed else { return }
        let parts = path.split(separator: ".").map(String.init)
        guard let last = parts.last else { return }
        lua_rawgeti(L, luashim_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        for part in parts.dropLast() {
            if lua_getfield(L, -1, part) != LUA_TTABLE {
                luashim_pop(L, 1)
                lua_createtable(L, 0, 4)
                lua_pushvalue(L, -1)
                lua_setfield(L, -3, part)
            }
            lua_rotate(L, -2, 1)
            luashim_pop(L, 1)
        }
        pushValue(L)
        lua_setfield(L, -2, last)
        luashim_pop(L, 1)
    }

    private func checkOpen() throws(LuaError) {
        if closed { throw LuaError(kind: .runtime, message: "the Lua state is closed") }
    }

    private func errorFromStack(status: Int32) -> LuaError {
        let lim = limits.pointee
        let source = Self.cString(limits, \.errorSource).map(Self.displayName)
        let registryLine = lim.errorLine > 0 ? Int(lim.errorLine) : nil
        let traceback = Self.cString(limits, \.traceback)
        if lim.instructionExceeded != 0 {
            return LuaError(
                kind: .instructionLimit,
                message: "instruction limit exceeded (\(lim.instructionLimit) instructions)",
                chunk: source, line: registryLine, traceback: traceback)
        }
        // string.format re-raises what Lua's own raised under its protection, so a
        // refused allocation arrives there as a runtime error with Lua's message.
        if status == LUA_ERRMEM || (lim.memoryExceeded != 0 && lua_type(L, -1) == LUA_TSTRING && Self.string(L, -1) == "not enough memory") {
            let message =
                lim.memoryExceeded != 0
                ? "memory limit exceeded (\(lim.memoryLimit) bytes)" : "not enough memory"
            return LuaError(kind: .memoryLimit, message: message, chunk: source, line: registryLine)
        }
        if let text = Self.string(L, -1), lua_type(L, -1) == LUA_TSTRING {
            let parts = LuaError.split(text)
            return LuaError(
                kind: .runtime, message: parts.message, chunk: source ?? parts.chunk, line: parts.line ?? registryLine,
                traceback: traceback)
        }
        if lua_type(L, -1) == LUA_TTABLE {
            let host = hostError(forTableAt: -1)
            let value = try? document(at: -1, on: L, keepFunctions: false)
            var chunk = source
            var line = registryLine
            if let whereText = value?["where"]?.stringValue, !whereText.isEmpty {
                let parts = LuaError.split(whereText + " ")
                chunk = parts.chunk.map { fullChunkName(short: $0, registry: source) } ?? chunk
                line = parts.line ?? line
            }
            let message = Self.message(host: host, value: value)
            return LuaError(
                kind: .runtime, message: message, chunk: chunk, line: line, traceback: traceback, hostError: host,
                value: value)
        }
        let value = try? document(at: -1, on: L, keepFunctions: false)
        let shown = value.map { "error object is a \($0.kindName) value" } ?? "error object is not a string"
        return LuaError(kind: .runtime, message: shown, chunk: source, line: registryLine, traceback: traceback, value: value)
    }

    private static func message(host: (any Error)?, value: Document?) -> String {
        if let coded = host as? any CodedError { return "\(coded.code): \(coded.message)" }
        guard let text = value?["message"]?.stringValue else { return "error object is a table" }
        guard let code = value?["code"]?.stringValue else { return text }
        return "\(code): \(text)"
    }

    private func fullChunkName(short: String, registry: String?) -> String {
        // Lua truncates chunk names in messages to 60 bytes; the registry keeps the full one.
        if let registry, short.hasPrefix("..."), registry.hasSuffix(short.dropFirst(3)) { return registry }
        return short
    }

    private func hostError(forTableAt index: Int32) -> (any Error)? {
        let absolute = lua_absindex(L, index)
        lua_getfield(L, luashim_registryindex(), "labengine.hosterrors")
        lua_pushvalue(L, absolute)
        lua_rawget(L, -2)
        let id = lua_isinteger(L, -1) != 0 ? Int(lua_tointegerx(L, -1, nil)) : nil
        luashim_pop(L, 2)
        return id.flatMap { hostErrors[$0] }
    }

    func rememberHostError(_ error: any Error, tableAt index: Int32, on thread: OpaquePointer) {
        let id = nextHostErrorID
        nextHostErrorID += 1
        hostErrors[id] = error
        let absolute = lua_absindex(thread, index)
        lua_getfield(thread, luashim_registryindex(), "labengine.hosterrors")
        lua_pushvalue(thread, absolute)
        lua_pushinteger(thread, lua_Integer(id))
        lua_rawset(thread, -3)
        luashim_pop(thread, 1)
    }

    /// A NUL-terminated text field of the limits struct, or nil when empty.
    private static func cString<T>(_ limits: UnsafeMutablePointer<LuaShimLimits>, _ field: KeyPath<LuaShimLimits, T>) -> String? {
        guard let offset = MemoryLayout<LuaShimLimits>.offset(of: field) else { return nil }
        let pointer = UnsafeRawPointer(limits).advanced(by: offset).assumingMemoryBound(to: CChar.self)
        let text = String(cString: pointer)
        return text.isEmpty ? nil : text
    }

    /// `@path` chunk names are shown as the path.
    static func displayName(_ source: String) -> String {
        source.hasPrefix("@") || source.hasPrefix("=") ? String(source.dropFirst()) : source
    }

    static func string(_ L: OpaquePointer, _ index: Int32) -> String? {
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length) else { return nil }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}
