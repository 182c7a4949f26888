import DocumentModel

/// One SNS topic: its attributes, access policy and subscriptions.
public final class SNSTopic {
    public let name: String
    public let arn: String
    public internal(set) var displayName = ""
    /// The topic's access policy, as text and parsed (AWS's default grants the owner's account).
    public internal(set) var policyText: String
    public internal(set) var policy: PolicyDocument?
    /// Settable attributes kept as given (DeliveryPolicy, KmsMasterKeyId, TracingConfig, …).
    var echoed: [String: String] = [:]
    /// Subscription ARNs in the order they were made (ListSubscriptionsByTopic's order).
    var subscriptions: [String] = []
    var deleted = 0

    init(name: String, arn: String, accountID: String) {
        self.name = name
        self.arn = arn
        policyText = Self.defaultPolicy(arn: arn, accountID: accountID)
        policy = try? PolicyDocument(text: policyText, kind: .resource)
    }

    /// The policy a new topic has: its owner's account may manage, subscribe and publish
    /// (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
    static func defaultPolicy(arn: String, accountID: String) -> String {
        let actions = [
            "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic",
            "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish",
        ]
        let policy: Document = [
            "Version": "2008-10-17", "Id": "__default_policy_ID",
            "Statement": [
                [
                    "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": ["AWS": "*"],
                    "Action": .array(actions.map { .string($0) }), "Resource": .string(arn),
                    "Condition": ["StringEquals": ["AWS:SourceOwner": .string(accountID)]],
                ]
            ],
        ]
        return (try? policy.jsonText()) ?? "{}"
    }
}

/// Where a subscription delivers. The simulated account delivers to its own queues and
/// functions; email, SMS, HTTP(S), mobile and Firehose endpoints are outside it.
public enum SNSProtocol: String, Sendable {
    case sqs, lambda
}

/// One confirmed subscription of a topic.
public final class SNSSubscription {
    public let arn: String
    public let topicArn: String
    public let `protocol`: SNSProtocol
    /// The queue's or function's ARN.
    public let endpoint: String
    public internal(set) var rawMessageDelivery = false
    public internal(set) var filterPolicy: SNSFilterPolicy?
    var filterPolicyText: String?
    public internal(set) var filterPolicyScope = SNSFilterPolicy.Scope.messageAttributes
    /// Deliveries that failed (the queue or function was gone, or its policy refused SNS).
    public internal(set) var failedDeliveries = 0
    public internal(set) var deliveries = 0

    init(arn: String, topicArn: String, protocol: SNSProtocol, endpoint: String) {
        self.arn = arn
        self.topicArn = topicArn
        self.protocol = `protocol`
        self.endpoint = endpoint
    }

    /// A copy to check a change on first (the settings that decide how a change is read).
    func scratchCopy() -> SNSSubscription {
        let copy = SNSSubscription(arn: arn, topicArn: topicArn, protocol: `protocol`, endpoint: endpoint)
        copy.filterPolicyScope = filterPolicyScope
        copy.filterPolicyText = filterPolicyText
        copy.rawMessageDelivery = rawMessageDelivery
        return copy
    }
}
