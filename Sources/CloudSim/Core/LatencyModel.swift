import DocumentModel

/// How long things take in virtual time.
///
/// Each operation's own latency is part of its descriptor (the generator's OPERATIONS
/// table): DynamoDB answers single-item requests in single-digit milliseconds (the DynamoDB
/// Developer Guide), transactions do two underlying reads/writes per item, Kinesis
/// PutRecords is typically tens of milliseconds (Kinesis Data Streams quotas page),
/// control-plane calls take longer. This holds what is not an operation. See docs/fidelity.md.
public struct LatencyModel: Sendable {
    /// A new execution environment's initialisation, added to a cold invocation.
    public var coldStart: VirtualDuration
    /// What a call that names no known operation costs before it fails.
    public var unknownOperation: VirtualDuration
    /// Virtual cost of one Lua VM instruction in function code, in nanoseconds.
    public var nanosPerInstruction: Int

    public init(coldStart: VirtualDuration = .milliseconds(150), unknownOperation: VirtualDuration = .milliseconds(20), nanosPerInstruction: Int = 20) {
        self.coldStart = coldStart
        self.unknownOperation = unknownOperation
        self.nanosPerInstruction = nanosPerInstruction
    }

    /// The virtual time `instructions` Lua instructions take.
    public func cost(instructions: Int) -> VirtualDuration {
        VirtualDuration(micros: Int64(instructions) * Int64(nanosPerInstruction) / 1000)
    }
}
