import DocumentModel

/// Subscribing the account's queues and functions to topics
/// (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html). A subscription within
/// the account is confirmed at once, as AWS confirms same-account SQS and Lambda endpoints.
extension SNS {
    static let subscriptionAttributes: Set<String> = [
        "RawMessageDelivery", "FilterPolicy", "FilterPolicyScope", "DeliveryPolicy", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy",
    ]

    func subscribe(_ p: Params) throws -> Document {
        let topic = try topic(try p.string("TopicArn"))
        let protocolName = try p.string("Protocol")
        guard let kind = SNSProtocol(rawValue: protocolName.lowercased()) else {
            if ["http", "https", "email", "email-json", "sms", "application", "firehose"].contains(protocolName.lowercased()) {
                throw Self.invalid("Protocol", "\(protocolName) endpoints are outside the simulated account: subscribe an SQS queue (sqs) or a Lambda function (lambda).")
            }
            throw Self.invalid("Protocol", "Invalid protocol type: \(protocolName)")
        }
        guard let endpoint = try p.optionalString("Endpoint"), !endpoint.isEmpty else {
            throw Self.invalid("Endpoint", "An endpoint is required for the \(kind.rawValue) protocol")
        }
        switch kind {
        case .sqs:
            guard endpoint.hasPrefix("arn:aws:sqs:") else { throw Self.invalid("SQS endpoint ARN", "The endpoint of an sqs subscription is the queue's ARN") }
            // https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html:
            // a standard topic delivers only to standard queues.
            if endpoint.hasSuffix(".fifo") { throw Self.invalid("Endpoint", "FIFO SQS Queues can not be subscribed to standard SNS topics") }
        case .lambda:
            guard endpoint.hasPrefix("arn:aws:lambda:") else { throw Self.invalid("Lambda endpoint ARN", "The endpoint of a lambda subscription is the function's ARN") }
        }
        let attributes = try attributeMap(p)
        if let existing = topic.subscriptions.compactMap({ subscriptions[$0] }).first(where: { $0.protocol == kind && $0.endpoint == endpoint }) {
            // Subscribing the same endpoint again returns the same subscription.
            let current = self.attributes(of: existing)
            if attributes.contains(where: { current[$0.key] ?? "" != $0.value }) {
                throw Self.invalid("Attributes", "Subscription already exists with different attributes")
            }
            return ["SubscriptionArn": .string(existing.arn)]
        }
        let arn = "\(topic.arn):\(random.uuid())"
        let subscription = SNSSubscription(arn: arn, topicArn: topic.arn, protocol: kind, endpoint: endpoint)
        try apply(attributes, to: subscription.scratchCopy())
        try apply(attributes, to: subscription)
        subscriptions[arn] = subscription
        topic.subscriptions.append(arn)
        return ["SubscriptionArn": .string(arn)]
    }

    func unsubscribe(_ p: Params) throws -> Document {
        let subscription = try subscription(try p.string("SubscriptionArn"))
        subscriptions[subscription.arn] = nil
        if let topic = topics[subscription.topicArn] {
            topic.subscriptions.removeAll { $0 == subscription.arn }
            topic.deleted += 1
        }
        return [:]
    }

    func listSubscriptions(_ p: Params, of topic: SNSTopic?) throws -> Document {
        let arns = topic?.subscriptions ?? topicOrder.flatMap { topics[$0]?.subscriptions ?? [] }
        return try Self.page(p, arns, key: "Subscriptions") { arn in
            self.subscriptions[arn].map { s in
                [
                    "SubscriptionArn": .string(s.arn), "Owner": .string(self.accountID), "Protocol": .string(s.protocol.rawValue),
                    "Endpoint": .string(s.endpoint), "TopicArn": .string(s.topicArn),
                ]
            }
        }
    }

    func getSubscriptionAttributes(_ p: Params) throws -> Document {
        let subscription = try subscription(try p.string("SubscriptionArn"))
        return Self.attributesResponse(attributes(of: subscription))
    }

    func setSubscriptionAttributes(_ p: Params) throws -> Document {
        let subscription = try subscription(try p.string("SubscriptionArn"))
        let change = [try p.string("AttributeName"): try p.optionalString("AttributeValue") ?? ""]
        // Checked on a copy first, so that a refused change leaves the subscription as it was.
        try apply(change, to: subscription.scratchCopy())
        try apply(change, to: subscription)
        return [:]
    }

    private func apply(_ attributes: [String: String], to subscription: SNSSubscription) throws {
        // The scope first: the policy is read in the scope it is given with.
        for name in attributes.keys.sorted().sorted(by: { $0 == "FilterPolicyScope" && $1 != "FilterPolicyScope" }) {
            guard let value = attributes[name] else { continue }
            guard Self.subscriptionAttributes.contains(name) else { throw Self.invalid("AttributeName", "Invalid attribute name: \(name)") }
            switch name {
            case "RawMessageDelivery":
                guard value == "true" || value == "false" else { throw Self.invalid("RawMessageDelivery", "must be true or false") }
                // https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html:
                // raw delivery is for SQS, HTTP/S and Firehose endpoints.
                if subscription.protocol == .lambda, value == "true" {
                    throw Self.invalid("Attributes", "Delivery protocol [lambda] does not support raw message delivery.")
                }
                subscription.rawMessageDelivery = value == "true"
            case "FilterPolicyScope":
                guard let scope = SNSFilterPolicy.Scope(rawValue: value) else {
                    throw Self.invalid("FilterPolicyScope", "FilterPolicyScope must be MessageAttributes or MessageBody")
                }
                subscription.filterPolicyScope = scope
                if let text = subscription.filterPolicyText {
                    subscription.filterPolicy = try SNSFilterPolicy(text: text, scope: scope)
                }
            case "FilterPolicy":
                if value.isEmpty {
                    subscription.filterPolicy = nil
                    subscription.filterPolicyText = nil
                } else {
                    subscription.filterPolicy = try SNSFilterPolicy(text: value, scope: subscription.filterPolicyScope)
                    subscription.filterPolicyText = value
                }
            case "DeliveryPolicy": break
            default:
                throw Self.invalid("Attributes", "\(name) is not simulated yet (docs/fidelity.md)")
            }
        }
    }

    func attributes(of subscription: SNSSubscription) -> [String: String] {
        var out: [String: String] = [
            "SubscriptionArn": subscription.arn, "TopicArn": subscription.topicArn, "Owner": accountID,
            "Protocol": subscription.protocol.rawValue, "Endpoint": subscription.endpoint, "ConfirmationWasAuthenticated": "true",
            "PendingConfirmation": "false", "RawMessageDelivery": String(subscription.rawMessageDelivery),
            "SubscriptionPrincipal": "arn:aws:iam::\(accountID):root",
        ]
        if let text = subscription.filterPolicyText {
            out["FilterPolicy"] = text
            out["FilterPolicyScope"] = subscription.filterPolicyScope.rawValue
        }
        return out
    }
}
