import DocumentModel

/// The simulated Amazon SNS service of one account and region: standard topics, their
/// subscriptions by the account's own SQS queues and Lambda functions, and publishing with
/// AWS's delivery envelope, raw delivery and filter policies, in virtual time.
public final class SNS {
    public let region: String
    public let accountID: String
    let scheduler: Scheduler
    let sqs: SQS
    let lambda: Lambda
    var random: SeededRandom
    public internal(set) var topics: [String: SNSTopic] = [:]
    /// Topic ARNs in creation order (ListTopics' order).
    var topicOrder: [String] = []
    public internal(set) var subscriptions: [String: SNSSubscription] = [:]

    init(region: String, accountID: String, scheduler: Scheduler, seed: UInt64, sqs: SQS, lambda: Lambda) {
        self.region = region
        self.accountID = accountID
        self.scheduler = scheduler
        self.sqs = sqs
        self.lambda = lambda
        random = SeededRandom(seed: seed, stream: "sns")
    }

    /// Runs one operation, its request already validated against the model.
    /// - Throws: ``AWSError`` with SNS's error shapes (on the wire: `NotFound`, `InvalidParameter`).
    func execute(_ operation: OperationDescriptor, _ request: Document) throws -> Document {
        let p = try Params(request, errorCode: "InvalidParameterException")
        switch operation.name {
        case "CreateTopic": return try createTopic(p)
        case "DeleteTopic": return try deleteTopic(p)
        case "ListTopics": return try listTopics(p)
        case "GetTopicAttributes": return try getTopicAttributes(p)
        case "SetTopicAttributes": return try setTopicAttributes(p)
        case "Subscribe": return try subscribe(p)
        case "Unsubscribe": return try unsubscribe(p)
        case "ListSubscriptions": return try listSubscriptions(p, of: nil)
        case "ListSubscriptionsByTopic": return try listSubscriptions(p, of: try topic(p.string("TopicArn")))
        case "GetSubscriptionAttributes": return try getSubscriptionAttributes(p)
        case "SetSubscriptionAttributes": return try setSubscriptionAttributes(p)
        case "Publish": return try publish(p)
        case "PublishBatch": return try publishBatch(p)
        default: throw ServiceRegistry.shared.unknownOperation(.sns, operation.name)
        }
    }

    /// The topic an ARN names, or NotFound as SNS words it.
    public func topic(_ arn: String) throws(AWSError) -> SNSTopic {
        guard let topic = topics[arn] else { throw AWSError("NotFoundException", "Topic does not exist") }
        return topic
    }

    func subscription(_ arn: String) throws(AWSError) -> SNSSubscription {
        guard let subscription = subscriptions[arn] else { throw AWSError("NotFoundException", "Subscription does not exist") }
        return subscription
    }

    /// SNS's wording for a bad parameter: `Invalid parameter: NAME Reason: WHY`.
    static func invalid(_ name: String, _ reason: String) -> AWSError {
        AWSError("InvalidParameterException", "Invalid parameter: \(name) Reason: \(reason)")
    }

    /// One page of a list call (100 entries, as SNS's list operations give) under `key`,
    /// with the `NextToken` of the next page when there is one.
    static func page(_ p: Params, _ items: [String], key: String, _ entry: (String) -> Document?) throws -> Document {
        var start = 0
        if let token = try p.optionalString("NextToken") {
            guard let n = Int(token), (0...items.count).contains(n) else { throw invalid("NextToken", "Invalid NextToken value") }
            start = n
        }
        let page = items.dropFirst(start).prefix(100)
        var out: [String: Document] = [key: .array(page.compactMap(entry))]
        if start + page.count < items.count { out["NextToken"] = .string(String(start + page.count)) }
        return .map(out)
    }

    /// A topic's or subscription's attributes, as Get*Attributes returns them.
    static func attributesResponse(_ attributes: [String: String]) -> Document {
        ["Attributes": .map(attributes.mapValues { .string($0) })]
    }
}
