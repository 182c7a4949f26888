/// What a sandboxed state may use: its limits, its module folders, its randomness and
/// where `print` goes.
public struct SandboxOptions {
    /// The most bytes the state may hold (0: no cap).
    public var memoryLimit: Int
    /// Instructions one outermost call may run (0: unlimited).
    public var instructionLimit: Int
    /// Folders `require` may load `.lua` files from, searched in order.
    public var moduleRoots: [String]
    /// Seed of `math.random`, so scripts are deterministic.
    public var seed: UInt64
    /// Receives each line `print` writes.
    public var output: (String) -> Void

    public init(
        memoryLimit: Int = 64 << 20, instructionLimit: Int = 50_000_000, moduleRoots: [String] = [],
        seed: UInt64 = 1, output: @escaping (String) -> Void = { _ in }
    ) {
        self.memoryLimit = memoryLimit
        self.instructionLimit = instructionLimit
        self.moduleRoots = moduleRoots
        self.seed = seed
        self.output = output
    }
}
