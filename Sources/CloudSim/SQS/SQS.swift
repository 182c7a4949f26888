import DocumentModel

/// The simulated Amazon SQS service of one account and region: standard and FIFO queues,
/// visibility timeouts, delays, retention and redrive to dead-letter queues, in virtual time.
public final class SQS {
    public let region: String
    public let accountID: String
    let scheduler: Scheduler
    var random: SeededRandom
    public internal(set) var queues: [String: SQSQueue] = [:]
    /// Names in creation order (ListQueues' order).
    var queueOrder: [String] = []
    /// When each deleted queue's name was freed ("wait 60 seconds" before it is reused).
    var deletedAt: [String: VirtualTime] = [:]
    var receipts = 0

    init(region: String, accountID: String, scheduler: Scheduler, seed: UInt64) {
        self.region = region
        self.accountID = accountID
        self.scheduler = scheduler
        random = SeededRandom(seed: seed, stream: "sqs")
    }

    /// The codes SQS's query protocol used, which its JSON protocol still sends in the
    /// `x-amzn-query-error` header (botocore reports them as the error's code); by error shape.
    package static let queryErrorCodes: [String: String] = [
        "QueueDoesNotExist": "AWS.SimpleQueueService.NonExistentQueue", "QueueNameExists": "QueueAlreadyExists",
        "QueueDeletedRecently": "AWS.SimpleQueueService.QueueDeletedRecently",
        "PurgeQueueInProgress": "AWS.SimpleQueueService.PurgeQueueInProgress",
        "MessageNotInflight": "AWS.SimpleQueueService.MessageNotInflight",
        "TooManyEntriesInBatchRequest": "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        "EmptyBatchRequest": "AWS.SimpleQueueService.EmptyBatchRequest",
        "BatchEntryIdsNotDistinct": "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        "BatchRequestTooLong": "AWS.SimpleQueueService.BatchRequestTooLong",
        "InvalidBatchEntryId": "AWS.SimpleQueueService.InvalidBatchEntryId",
        "UnsupportedOperation": "AWS.SimpleQueueService.UnsupportedOperation",
    ]

    /// Runs one operation for a caller whose `SenderId` is `sender`, its request already
    /// validated against the model.
    /// - Throws: ``AWSError`` with SQS's codes.
    func execute(_ operation: OperationDescriptor, _ request: Document, sender: String) throws -> Document {
        let p = try Params(request, errorCode: "InvalidParameterValue")
        switch operation.name {
        case "CreateQueue": return try createQueue(p)
        case "GetQueueUrl": return try getQueueURL(p)
        case "GetQueueAttributes": return try getQueueAttributes(p)
        case "SetQueueAttributes": return try setQueueAttributes(p)
        case "ListQueues": return try listQueues(p)
        case "PurgeQueue": return try purgeQueue(p)
        case "DeleteQueue": return try deleteQueue(p)
        case "SendMessage": return try sendMessage(p, sender: sender)
        case "SendMessageBatch": return try sendMessageBatch(p, sender: sender)
        case "ReceiveMessage": return try receiveMessage(p)
        case "DeleteMessage": return try deleteMessage(p)
        case "DeleteMessageBatch": return try deleteMessageBatch(p)
        case "ChangeMessageVisibility": return try changeMessageVisibility(p)
        case "ChangeMessageVisibilityBatch": return try changeMessageVisibilityBatch(p)
        default: throw ServiceRegistry.shared.unknownOperation(.sqs, operation.name)
        }
    }

    static let nonExistent = AWSError("QueueDoesNotExist", "The specified queue does not exist.")

    /// The queue a `QueueUrl` names (any host: SDKs send the URL they were given).
    public func queue(url: String) throws(AWSError) -> SQSQueue {
        let parts = url.split(separator: "/")
        guard parts.count >= 2, let queue = queues[String(parts[parts.count - 1])], String(parts[parts.count - 2]) == accountID else {
            throw Self.nonExistent
        }
        return queue
    }

    /// The queue behind an ARN of this account and region.
    public func queue(arn: String) -> SQSQueue? {
        guard arn.hasPrefix("arn:aws:sqs:\(region):\(accountID):") else { return nil }
        return queues[String(arn.split(separator: ":").last ?? "")]
    }

    func queue(_ p: Params) throws -> SQSQueue {
        let queue = try queue(url: try p.string("QueueUrl"))
        queue.expire(at: scheduler.now)
        return queue
    }

    /// SQS's error for an invalid parameter value, in its words.
    static func invalid(_ name: String, _ value: String, _ reason: String) -> AWSError {
        AWSError("InvalidParameterValue", "Value \(value) for parameter \(name) is invalid. Reason: \(reason)")
    }
}
