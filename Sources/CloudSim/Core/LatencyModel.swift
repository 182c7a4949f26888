/// How long each operation takes in virtual time, in one place so labs can tune it.
///
/// Defaults follow AWS's published orders of magnitude: DynamoDB answers single-item
/// requests in single-digit milliseconds (the DynamoDB Developer Guide), transactions
/// do two underlying reads/writes per item, Kinesis PutRecords is typically tens of
/// milliseconds (Kinesis Data Streams quotas page), control-plane calls take longer.
/// They are documented in docs/fidelity.md.
public struct LatencyModel: Sendable {
    /// Per-operation durations keyed `service:Operation` (e.g. `dynamodb:PutItem`).
    public var durations: [String: VirtualDuration]
    /// Extra time per item of batch operations, keyed like ``durations``.
    public var perItem: [String: VirtualDuration]
    /// Duration of operations not listed.
    public var fallback: VirtualDuration
    /// Virtual cost of one Lua VM instruction in function code, in nanoseconds.
    public var nanosPerInstruction: Int

    public init(
        durations: [String: VirtualDuration] = LatencyModel.defaultDurations,
        perItem: [String: VirtualDuration] = LatencyModel.defaultPerItem,
        fallback: VirtualDuration = .milliseconds(20), nanosPerInstruction: Int = 20
    ) {
        self.durations = durations
        self.perItem = perItem
        self.fallback = fallback
        self.nanosPerInstruction = nanosPerInstruction
    }

    /// The duration of one call, `items` being the number of items of a batch operation.
    public func duration(_ service: String, _ operation: String, items: Int = 1) -> VirtualDuration {
        var key = service
        key.append(":")
        key.append(operation)
        let base = durations[key] ?? fallback
        guard items > 1, let each = perItem[key] else { return base }
        return base + each * (items - 1)
    }

    /// The virtual time `instructions` Lua instructions take.
    public func cost(instructions: Int) -> VirtualDuration {
        VirtualDuration(micros: Int64(instructions) * Int64(nanosPerInstruction) / 1000)
    }

    public static let defaultDurations: [String: VirtualDuration] = [
        "dynamodb:GetItem": .milliseconds(3), "dynamodb:PutItem": .milliseconds(5),
        "dynamodb:UpdateItem": .milliseconds(5), "dynamodb:DeleteItem": .milliseconds(5),
        "dynamodb:Query": .milliseconds(6), "dynamodb:Scan": .milliseconds(10),
        "dynamodb:BatchGetItem": .milliseconds(6), "dynamodb:BatchWriteItem": .milliseconds(10),
        "dynamodb:TransactGetItems": .milliseconds(8), "dynamodb:TransactWriteItems": .milliseconds(15),
        "dynamodb:DescribeTable": .milliseconds(10),
        "dynamodbstreams:GetRecords": .milliseconds(10), "dynamodbstreams:GetShardIterator": .milliseconds(5),
        "kinesis:PutRecord": .milliseconds(15), "kinesis:PutRecords": .milliseconds(25),
        "kinesis:GetRecords": .milliseconds(10), "kinesis:GetShardIterator": .milliseconds(5),
        "lambda:Invoke": .milliseconds(2), "lambda:ColdStart": .milliseconds(150),
    ]

    public static let defaultPerItem: [String: VirtualDuration] = [
        "dynamodb:TransactWriteItems": VirtualDuration(micros: 500), "dynamodb:TransactGetItems": VirtualDuration(micros: 200),
        "dynamodb:BatchWriteItem": VirtualDuration(micros: 200), "dynamodb:BatchGetItem": VirtualDuration(micros: 100),
        "kinesis:PutRecords": VirtualDuration(micros: 50),
    ]
}
