import DocumentModel

/// A trigger that polls an SQS queue and invokes a function with batches of messages
/// (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html). Messages a batch leaves
/// behind come back after the queue's visibility timeout, and the queue's redrive policy
/// decides what happens to them after that.
public final class QueueMapping {
    public let uuid: String
    public internal(set) var functionName: String
    public let queueArn: String
    public internal(set) var batchSize: Int
    public internal(set) var batchingWindow: VirtualDuration
    public internal(set) var reportBatchItemFailures: Bool
    /// `ScalingConfig.MaximumConcurrency`: at most this many invocations at once.
    public internal(set) var maximumConcurrency: Int?
    public internal(set) var enabled: Bool
    /// `State`: `Creating` at first, and for a moment after each update `Updating` (or
    /// `Enabling`, `Disabling`), while another update is refused.
    public internal(set) var state = MappingState.creating
    public internal(set) var lastModified: VirtualTime
    /// How many batches may be in flight now: five at first, up to 300 more a minute while
    /// messages wait, at most 1,000 (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html).
    public internal(set) var pollers = 5
    public internal(set) var inFlight = 0
    public internal(set) var batchesDelivered = 0
    public internal(set) var batchesFailed = 0
    var deleted = false
    var generation = 0

    init(uuid: String, functionName: String, queueArn: String, settings: Lambda.QueueSettings, created: VirtualTime) {
        self.uuid = uuid
        self.functionName = functionName
        self.queueArn = queueArn
        batchSize = settings.batchSize
        batchingWindow = settings.window
        reportBatchItemFailures = settings.reportFailures
        maximumConcurrency = settings.maximumConcurrency
        enabled = settings.enabled
        lastModified = created
    }

    func document(region: String, accountID: String) -> Document {
        var d: [String: Document] = [
            "UUID": .string(uuid), "EventSourceArn": .string(queueArn),
            "FunctionArn": .string("arn:aws:lambda:\(region):\(accountID):function:\(functionName)"),
            "BatchSize": .int(Int64(batchSize)), "MaximumBatchingWindowInSeconds": .int(batchingWindow.micros / 1_000_000),
            "State": .string(state.rawValue), "StateTransitionReason": "USER_INITIATED", "LastModified": .double(lastModified.unixSeconds),
            "FunctionResponseTypes": .array(reportBatchItemFailures ? ["ReportBatchItemFailures"] : []),
        ]
        if let maximumConcurrency { d["ScalingConfig"] = ["MaximumConcurrency": .int(Int64(maximumConcurrency))] }
        return .map(d)
    }
}

extension Lambda {
    struct QueueSettings {
        var batchSize: Int
        var window: VirtualDuration
        var reportFailures: Bool
        var maximumConcurrency: Int?
        var enabled: Bool
    }

    /// The parameters that only stream mappings take, refused as Lambda refuses them.
    static let streamOnly = [
        "StartingPosition", "StartingPositionTimestamp", "ParallelizationFactor", "MaximumRetryAttempts",
        "MaximumRecordAgeInSeconds", "BisectBatchOnFunctionError", "DestinationConfig", "TumblingWindowInSeconds",
    ]

    /// Reads and checks a queue mapping's settings (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html):
    /// BatchSize 1–10,000 (10 for FIFO queues, default 10), above 10 only with a batching
    /// window; no window for FIFO queues; MaximumConcurrency 2–1,000.
    func queueSettings(_ p: Params, fifo: Bool, current: QueueMapping?) throws -> QueueSettings {
        for name in Self.streamOnly where p.has(name) {
            throw AWSError("InvalidParameterValueException", "Unsupported \(name) parameter for given event source mapping type.")
        }
        let batchSize = try p.optionalInt("BatchSize", in: 1...10_000) ?? current?.batchSize ?? 10
        let window = try p.optionalInt("MaximumBatchingWindowInSeconds", in: 0...300).map { VirtualDuration.seconds(Double($0)) }
            ?? current?.batchingWindow ?? .zero
        if fifo && batchSize > 10 {
            throw AWSError("InvalidParameterValueException", "BatchSize must be between 1 and 10 for FIFO queues.")
        }
        if fifo && window > .zero {
            throw AWSError("InvalidParameterValueException", "Batching window is not supported for FIFO queues.")
        }
        if batchSize > 10 && window == .zero {
            throw AWSError("InvalidParameterValueException", "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
        }
        let reportFailures = try Self.reportsBatchItemFailures(p, current: current?.reportBatchItemFailures ?? false)
        var maximum = current?.maximumConcurrency
        if let scaling = try p.optionalMap("ScalingConfig") {
            maximum = try Params(.map(scaling), errorCode: "InvalidParameterValueException").optionalInt("MaximumConcurrency", in: 2...1000)
        }
        return QueueSettings(
            batchSize: batchSize, window: window, reportFailures: reportFailures, maximumConcurrency: maximum,
            enabled: try p.optionalBool("Enabled") ?? current?.enabled ?? true)
    }

    /// The permissions Lambda checks on the execution role before it creates an SQS trigger.
    static let queueActions = ["ReceiveMessage", "DeleteMessage", "GetQueueAttributes"]

    func canPoll(_ queueArn: String, role arn: String) -> String? {
        guard let role = iam.role(arn: arn) else { return Self.queueActions[0] }
        return Self.queueActions.first { !iam.evaluate(role: role, action: "sqs:\($0)", resource: queueArn).allowed }
    }

    func createQueueMapping(_ p: Params, function: LambdaFunction, arn: String) throws -> Document {
        guard let queue = account?.sqs.queue(arn: arn) else {
            throw AWSError("InvalidParameterValueException", "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.")
        }
        if let existing = queueMappings.values.first(where: { $0.functionName == function.name && $0.queueArn == arn }) {
            throw AWSError(
                "ResourceConflictException",
                "An event source mapping with SQS arn (\" \(arn) \") and function (\" \(function.name) \") already exists. Please update or delete the existing mapping with UUID \(existing.uuid)")
        }
        let settings = try queueSettings(p, fifo: queue.isFIFO, current: nil)
        if let missing = canPoll(arn, role: function.role) {
            throw AWSError("InvalidParameterValueException", "The provided execution role does not have permissions to call \(missing) on SQS")
        }
        let mapping = QueueMapping(uuid: random.uuid(), functionName: function.name, queueArn: arn, settings: settings, created: scheduler.now)
        queueMappings[mapping.uuid] = mapping
        mappingOrder.append(mapping.uuid)
        let document = mapping.document(region: region, accountID: accountID)
        scheduler.schedule(after: MappingState.settleTime) { [weak self, weak mapping] in
            guard let self, let mapping, !mapping.deleted else { return }
            mapping.state = .settled(enabled: mapping.enabled)
            if mapping.enabled { self.startPolling(mapping) }
        }
        return document
    }

    func updateQueueMapping(_ mapping: QueueMapping, _ p: Params) throws -> Document {
        try mapping.state.checkUpdate()
        guard let queue = account?.sqs.queue(arn: mapping.queueArn) else {
            throw AWSError("InvalidParameterValueException", "The specified queue does not exist.")
        }
        let settings = try queueSettings(p, fifo: queue.isFIFO, current: mapping)
        if let name = try p.optionalString("FunctionName") { mapping.functionName = try function(name).name }
        let wasEnabled = mapping.enabled
        mapping.batchSize = settings.batchSize
        mapping.batchingWindow = settings.window
        mapping.reportBatchItemFailures = settings.reportFailures
        mapping.maximumConcurrency = settings.maximumConcurrency
        mapping.enabled = settings.enabled
        mapping.lastModified = scheduler.now
        if mapping.enabled && !wasEnabled { startPolling(mapping) }
        settle(mapping, updatedFrom: wasEnabled)
        return mapping.document(region: region, accountID: accountID)
    }
}
