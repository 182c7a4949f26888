import LuaShim

/// What a sandboxed state may use: its limits, its module folders, its randomness and
/// where `print` goes.
public struct SandboxOptions {
    /// The most bytes the state may hold (0: no cap).
    public var memoryLimit: Int
    /// Instructions one outermost call may run (0: unlimited).
    public var instructionLimit: Int
    /// Folders `require` may load `.lua` files from, searched in order.
    public var moduleRoots: [String]
    /// Lua files `require` finds before any folder, by their path (`lib/util.lua`): a
    /// function's deployment package, which never touches the disk.
    public var files: [String: String] = [:]
    /// Seed of `math.random`, so scripts are deterministic.
    public var seed: UInt64
    /// Receives each line `print` writes.
    public var output: (String) -> Void
    /// Whether `print` prefixes each line with the `file:line` that printed it (a learner's
    /// actions file, where the line says which print it was; not function logs).
    public var locatePrints = false
    /// A cap shared with other states (e.g. all function code of one world), if any.
    public var pool: MemoryPool?

    public init(
        memoryLimit: Int = 64 << 20, instructionLimit: Int = 50_000_000, moduleRoots: [String] = [],
        seed: UInt64 = 1, output: @escaping (String) -> Void = { _ in }, pool: MemoryPool? = nil
    ) {
        self.memoryLimit = memoryLimit
        self.instructionLimit = instructionLimit
        self.moduleRoots = moduleRoots
        self.seed = seed
        self.output = output
        self.pool = pool
    }
}

/// Memory that several states draw on together: each allocation counts against both the
/// state's own cap and the pool's, so many small states cannot add up to too much.
public final class MemoryPool: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<LuaShimPool>

    /// - Parameter limit: bytes all states of the pool may hold together.
    public init(limit: Int) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: LuaShimPool(used: 0, limit: limit))
    }

    deinit { pointer.deallocate() }

    /// Bytes the pool's states hold now.
    public var used: Int { Int(pointer.pointee.used) }
}
