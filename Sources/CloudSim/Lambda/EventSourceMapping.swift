import DocumentModel

/// A trigger that reads a stream and invokes a function with batches of records.
public final class EventSourceMapping {
    public let uuid: String
    public internal(set) var functionName: String
    public let sourceArn: String
    public internal(set) var batchSize: Int
    public internal(set) var batchingWindow: VirtualDuration
    public let startingPosition: String
    /// For `AT_TIMESTAMP`: the first record read is the first that arrived at or after it.
    public internal(set) var startingTimestamp: VirtualTime?
    public internal(set) var parallelization: Int
    public internal(set) var maxRetries: Int
    public internal(set) var maxRecordAge: Int
    public internal(set) var bisect: Bool
    public internal(set) var reportBatchItemFailures: Bool
    public internal(set) var enabled: Bool
    /// `State`: `Creating` at first, and for a moment after each update `Updating` (or
    /// `Enabling`, `Disabling`), while another update is refused.
    public internal(set) var state = MappingState.creating
    public internal(set) var lastProcessingResult = "No records processed"
    public internal(set) var lastModified: VirtualTime
    /// Batches delivered, and batches dropped after exhausting retries or record age.
    public internal(set) var batchesDelivered = 0
    public internal(set) var batchesDiscarded = 0
    /// Records dropped unsent because they were older than MaximumRecordAgeInSeconds.
    public internal(set) var recordsExpired = 0
    /// `DestinationConfig.OnFailure.Destination`: an SQS queue that gets a record of each discarded batch.
    public internal(set) var onFailure: String?
    /// On-failure records lost: the destination was gone or the role could not send to it.
    public internal(set) var destinationFailures = 0
    /// The last answer to whether the function's role may read the source, with IAM's
    /// revision and the role it was for.
    var readPermission: (revision: Int, role: String, allowed: Bool)?
    /// `TumblingWindowInSeconds`, echoed (windows are not aggregated yet: docs/fidelity.md).
    public internal(set) var tumblingWindow = 0
    let source: any StreamSource
    weak var lambda: Lambda?
    var lanes: [Lane] = []
    var deleted = false
    var generation = 0

    /// One shard (and parallelization slot): at most one batch in flight, in order.
    final class Lane {
        let shard: Int
        let slot: Int
        var position = 0
        var busy = false
        var queue: [[Int]] = []
        var attempts = 0
        var redelivered = false
        init(shard: Int, slot: Int) {
            self.shard = shard
            self.slot = slot
        }
    }

    init(
        uuid: String, functionName: String, source: any StreamSource, batchSize: Int, batchingWindow: VirtualDuration,
        startingPosition: String, parallelization: Int, maxRetries: Int, maxRecordAge: Int, bisect: Bool,
        reportBatchItemFailures: Bool, enabled: Bool, created: VirtualTime
    ) {
        self.uuid = uuid
        self.functionName = functionName
        self.source = source
        self.sourceArn = source.arn
        self.batchSize = batchSize
        self.batchingWindow = batchingWindow
        self.startingPosition = startingPosition
        self.parallelization = parallelization
        self.maxRetries = maxRetries
        self.maxRecordAge = maxRecordAge
        self.bisect = bisect
        self.reportBatchItemFailures = reportBatchItemFailures
        self.enabled = enabled
        self.lastModified = created
    }

    func document() -> Document {
        var d: [String: Document] = [
            "UUID": .string(uuid), "EventSourceArn": .string(sourceArn),
            "FunctionArn": .string(lambda.map { "arn:aws:lambda:\($0.region):\($0.accountID):function:\(functionName)" } ?? functionName),
            "BatchSize": .int(Int64(batchSize)), "MaximumBatchingWindowInSeconds": .int(batchingWindow.micros / 1_000_000),
            "StartingPosition": .string(startingPosition), "ParallelizationFactor": .int(Int64(parallelization)),
            "MaximumRetryAttempts": .int(Int64(maxRetries)), "MaximumRecordAgeInSeconds": .int(Int64(maxRecordAge)),
            "BisectBatchOnFunctionError": .bool(bisect), "State": .string(state.rawValue), "StateTransitionReason": "User action",
            "LastModified": .double(lastModified.unixSeconds), "LastProcessingResult": .string(lastProcessingResult),
            "FunctionResponseTypes": .array(reportBatchItemFailures ? ["ReportBatchItemFailures"] : []),
        ]
        d["TumblingWindowInSeconds"] = .int(Int64(tumblingWindow))
        d["DestinationConfig"] = ["OnFailure": onFailure.map { ["Destination": .string($0)] } ?? [:]]
        return .map(d)
    }

    func delete() {
        deleted = true
        state = .deleting
        source.close()
    }
}

extension Lambda {
    /// The stream behind an ARN, with the role's read access checked as AWS checks it.
    private func source(arn: String, role: String, startingPosition: String) throws -> any StreamSource {
        guard let account = self.account else { throw AWSError("ServiceException", "The account is not connected") }
        let source: any StreamSource
        if arn.hasPrefix("arn:aws:kinesis:"), let name = arn.split(separator: "/").last, let stream = account.kinesis.streams[String(name)],
            stream.arn == arn
        {
            source = KinesisSource(stream: stream, kinesis: account.kinesis, roleArn: role)
        } else if arn.contains(":table/"), arn.contains("/stream/"), let stream = account.dynamodb.stream(arn: arn) {
            let positions = stream.shards.map { startingPosition == "TRIM_HORIZON" ? $0.firstIndex : $0.endIndex }
            source = DynamoDBStreamSource(stream: stream, region: region, startingAt: positions)
        } else {
            throw AWSError("InvalidParameterValueException", "Stream not found: \(arn)")
        }
        if !canRead(source, role: role) {
            source.close()
            let names = arn.hasPrefix("arn:aws:kinesis:")
                ? "GetRecords, GetShardIterator, DescribeStream, ListShards, and ListStreams" : "GetRecords, GetShardIterator, DescribeStream, and ListStreams"
            throw AWSError(
                "InvalidParameterValueException",
                "Cannot access stream \(arn). Please ensure the role can perform the \(names) Actions on your stream in IAM.")
        }
        return source
    }

    /// Whether the function's role may read the mapping's source, asked of IAM again only
    /// after a role or policy changed (a poll every second on every shard asks it).
    func canPoll(_ mapping: EventSourceMapping, role: String) -> Bool {
        if let known = mapping.readPermission, known.revision == iam.revision, known.role == role { return known.allowed }
        let allowed = canRead(mapping.source, role: role)
        mapping.readPermission = (iam.revision, role, allowed)
        return allowed
    }

    func canRead(_ source: any StreamSource, role arn: String) -> Bool {
        guard let role = iam.role(arn: arn) else { return false }
        return source.readActions.allSatisfy { iam.evaluate(role: role, action: $0, resource: source.arn).allowed }
    }

    func createEventSourceMapping(_ p: Params) throws -> Document {
        let function = try function(try p.string("FunctionName"))
        let arn = try p.string("EventSourceArn")
        if arn.hasPrefix("arn:aws:sqs:") { return try createQueueMapping(p, function: function, arn: arn) }
        let isKinesis = arn.hasPrefix("arn:aws:kinesis:")
        let starting = try p.choice("StartingPosition", isKinesis ? ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"] : ["TRIM_HORIZON", "LATEST"])
        if let existing = mappingOrder.compactMap({ mappings[$0] }).first(where: { $0.functionName == function.name && $0.sourceArn == arn }) {
            throw AWSError(
                "ResourceConflictException",
                "The event source arn (\" \(arn) \") and function (\" \(function.name) \") provided mapping already exists. Please update or delete the existing mapping with UUID \(existing.uuid)")
        }
        let settings = try mappingSettings(p, current: nil)
        var timestamp: VirtualTime?
        if starting == "AT_TIMESTAMP" {
            guard let seconds = try p.optionalDouble("StartingPositionTimestamp") else {
                throw AWSError("InvalidParameterValueException", "StartingPositionTimestamp must be set when StartingPosition is AT_TIMESTAMP")
            }
            // Given as Unix time, as the API takes it.
            timestamp = VirtualTime(unixSeconds: seconds)
        }
        if let destination = settings.onFailure { try checkDestination(destination, role: function.role, asynchronous: false) }
        let source = try source(arn: arn, role: function.role, startingPosition: starting)
        let mapping = EventSourceMapping(
            uuid: random.uuid(), functionName: function.name, source: source, batchSize: settings.batchSize,
            batchingWindow: settings.window, startingPosition: starting, parallelization: settings.parallelization,
            maxRetries: settings.maxRetries, maxRecordAge: settings.maxAge, bisect: settings.bisect,
            reportBatchItemFailures: settings.reportFailures, enabled: settings.enabled, created: scheduler.now)
        mapping.lambda = self
        mapping.startingTimestamp = timestamp
        mapping.onFailure = settings.onFailure
        mapping.tumblingWindow = settings.tumblingWindow
        mappings[mapping.uuid] = mapping
        mappingOrder.append(mapping.uuid)
        let document = mapping.document()
        // AWS takes a moment to create the mapping; it starts reading once Enabled.
        scheduler.schedule(after: MappingState.settleTime) { [weak self, weak mapping] in
            guard let self, let mapping, !mapping.deleted else { return }
            mapping.state = .settled(enabled: mapping.enabled)
            if mapping.enabled { self.startPolling(mapping) }
        }
        return document
    }

    struct MappingSettings {
        var batchSize: Int
        var window: VirtualDuration
        var parallelization: Int
        var maxRetries: Int
        var maxAge: Int
        var bisect: Bool
        var reportFailures: Bool
        var enabled: Bool
        var onFailure: String?
        var tumblingWindow: Int
    }

    /// `FunctionResponseTypes`: whether the function reports the records that failed, as
    /// given, or as it was.
    static func reportsBatchItemFailures(_ p: Params, current: Bool) throws -> Bool {
        guard let types = try p.optionalList("FunctionResponseTypes") else { return current }
        for type in types where type.stringValue != "ReportBatchItemFailures" {
            throw AWSError("InvalidParameterValueException", "FunctionResponseTypes may only contain ReportBatchItemFailures")
        }
        return !types.isEmpty
    }

    /// Reads and checks the tunable settings (on create, or over `current` on update).
    func mappingSettings(_ p: Params, current: EventSourceMapping?) throws -> MappingSettings {
        let age = try p.optionalInt("MaximumRecordAgeInSeconds", in: -1...604_800) ?? current?.maxRecordAge ?? -1
        if age != -1 && age < 60 {
            throw AWSError("InvalidParameterValueException", "MaximumRecordAgeInSeconds must be -1 or between 60 and 604800")
        }
        let reportFailures = try Self.reportsBatchItemFailures(p, current: current?.reportBatchItemFailures ?? false)
        var onFailure = current?.onFailure
        if let config = try p.optionalMap("DestinationConfig") {
            let destinations = try Params(.map(config), errorCode: "InvalidParameterValueException")
            if destinations.has("OnSuccess") {
                throw AWSError("InvalidParameterValueException", "Unsupported DestinationConfig parameter for given event source mapping type.")
            }
            // An empty destination removes it, as the console's "remove" does.
            onFailure = try destinations.optionalMap("OnFailure").flatMap { try Params(.map($0)).optionalString("Destination") }
            if onFailure == "" { onFailure = nil }
            // A stream mapping sends discarded batches' metadata to a queue, a topic or a bucket.
            if let arn = onFailure, !["arn:aws:sqs:", "arn:aws:sns:", "arn:aws:s3:::"].contains(where: arn.hasPrefix) {
                throw AWSError("InvalidParameterValueException", "The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=\(arn))) is invalid.")
            }
        }
        return MappingSettings(
            batchSize: try p.optionalInt("BatchSize", in: 1...10_000) ?? current?.batchSize ?? 100,
            window: try p.optionalInt("MaximumBatchingWindowInSeconds", in: 0...300).map { .seconds(Double($0)) } ?? current?.batchingWindow ?? .zero,
            parallelization: try p.optionalInt("ParallelizationFactor", in: 1...10) ?? current?.parallelization ?? 1,
            maxRetries: try p.optionalInt("MaximumRetryAttempts", in: -1...10_000) ?? current?.maxRetries ?? -1,
            maxAge: age,
            bisect: try p.optionalBool("BisectBatchOnFunctionError") ?? current?.bisect ?? false,
            reportFailures: reportFailures,
            enabled: try p.optionalBool("Enabled") ?? current?.enabled ?? true,
            onFailure: onFailure,
            tumblingWindow: try p.optionalInt("TumblingWindowInSeconds", in: 0...900) ?? current?.tumblingWindow ?? 0)
    }

    func updateEventSourceMapping(_ p: Params) throws -> Document {
        let mapping = try mapping(try p.string("UUID"))
        try mapping.state.checkUpdate()
        let settings = try mappingSettings(p, current: mapping)
        // Everything is checked before anything changes: a refused update leaves the mapping as it was.
        let target = try p.optionalString("FunctionName").map { try function($0) } ?? functions[mapping.functionName]
        if let destination = settings.onFailure, destination != mapping.onFailure || target?.name != mapping.functionName, let target {
            try checkDestination(destination, role: target.role, asynchronous: false)
        }
        if let target { mapping.functionName = target.name }
        let wasEnabled = mapping.enabled
        mapping.batchSize = settings.batchSize
        mapping.batchingWindow = settings.window
        mapping.maxRetries = settings.maxRetries
        mapping.maxRecordAge = settings.maxAge
        mapping.bisect = settings.bisect
        mapping.reportBatchItemFailures = settings.reportFailures
        mapping.enabled = settings.enabled
        mapping.onFailure = settings.onFailure
        mapping.tumblingWindow = settings.tumblingWindow
        mapping.lastModified = scheduler.now
        // The new settings take effect at once (docs/fidelity.md); the state shows the change
        // being applied for a moment, and refuses another meanwhile.
        if settings.parallelization != mapping.parallelization {
            mapping.parallelization = settings.parallelization
            if wasEnabled { startPolling(mapping) }
        }
        if mapping.enabled && !wasEnabled { startPolling(mapping) }
        settle(mapping, updatedFrom: wasEnabled)
        return mapping.document()
    }
}
