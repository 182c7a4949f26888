import DocumentModel

/// Creating, listing, reading and changing topics
/// (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
extension SNS {
    /// The attributes SetTopicAttributes and CreateTopic accept.
    static let topicAttributes: Set<String> = [
        "DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "TracingConfig", "SignatureVersion", "DataProtectionPolicy",
        "ArchivePolicy", "FifoTopic", "ContentBasedDeduplication", "FifoThroughputScope",
    ]

    func createTopic(_ p: Params) throws -> Document {
        let name = try p.string("Name")
        // "Topic names must be made up of only uppercase and lowercase ASCII letters,
        // numbers, underscores, and hyphens, and must be between 1 and 256 characters long."
        let attributes = try attributeMap(p)
        if name.hasSuffix(".fifo") || attributes["FifoTopic"] == "true" {
            throw Self.invalid("Attributes", "FIFO topics are not simulated yet: use a standard topic (docs/fidelity.md).")
        }
        guard WordName.isValid(name, maxLength: 256) else {
            throw Self.invalid("Topic Name", "Topic name must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.")
        }
        let arn = "arn:aws:sns:\(region):\(accountID):\(name)"
        if let existing = topics[arn] {
            // CreateTopic is idempotent: the same name gives the same ARN.
            if !attributes.isEmpty, attributes.contains(where: { key, value in self.attributes(of: existing)[key] != value }) {
                throw Self.invalid("Attributes", "Topic already exists with different attributes")
            }
            return ["TopicArn": .string(arn)]
        }
        let topic = SNSTopic(name: name, arn: arn, accountID: accountID)
        // Checked on a scratch topic first: a refused attribute creates nothing.
        try apply(attributes, to: SNSTopic(name: name, arn: arn, accountID: accountID))
        try apply(attributes, to: topic)
        topics[arn] = topic
        topicOrder.append(arn)
        return ["TopicArn": .string(arn)]
    }

    func deleteTopic(_ p: Params) throws -> Document {
        let arn = try p.string("TopicArn")
        // Deleting a topic that does not exist succeeds, as DeleteTopic is idempotent.
        guard let topic = topics[arn] else { return [:] }
        for subscription in topic.subscriptions { subscriptions[subscription] = nil }
        topics[arn] = nil
        topicOrder.removeAll { $0 == arn }
        return [:]
    }

    func listTopics(_ p: Params) throws -> Document {
        try Self.page(p, topicOrder, key: "Topics") { ["TopicArn": .string($0)] }
    }

    func getTopicAttributes(_ p: Params) throws -> Document {
        let topic = try topic(try p.string("TopicArn"))
        return Self.attributesResponse(attributes(of: topic))
    }

    func setTopicAttributes(_ p: Params) throws -> Document {
        let topic = try topic(try p.string("TopicArn"))
        let name = try p.string("AttributeName")
        let value = try p.optionalString("AttributeValue") ?? ""
        guard !["FifoTopic"].contains(name) else { throw Self.invalid("AttributeName", "FifoTopic is set only when the topic is created") }
        try apply([name: value], to: topic)
        return [:]
    }

    /// Checks and applies topic attributes; the Policy must be a resource-based policy.
    private func apply(_ attributes: [String: String], to topic: SNSTopic) throws {
        for name in attributes.keys.sorted() {
            guard let value = attributes[name] else { continue }
            guard Self.topicAttributes.contains(name) else { throw Self.invalid("AttributeName", "Invalid attribute name: \(name)") }
            switch name {
            case "DisplayName": topic.displayName = value
            case "Policy":
                do { topic.policy = try PolicyDocument(text: value, kind: .resource) } catch {
                    throw Self.invalid("Policy", error.message)
                }
                topic.policyText = value
            case "FifoTopic":
                guard value == "false" else { throw Self.invalid("Attributes", "FIFO topics are not simulated yet (docs/fidelity.md).") }
            case "ContentBasedDeduplication", "FifoThroughputScope":
                throw Self.invalid("Attributes", "\(name) applies only to FIFO topics")
            default: topic.echoed[name] = value
            }
        }
    }

    /// GetTopicAttributes' map: what was set, the owner, and the subscription counts.
    func attributes(of topic: SNSTopic) -> [String: String] {
        let confirmed = topic.subscriptions.count
        var out: [String: String] = [
            "TopicArn": topic.arn, "Owner": accountID, "Policy": topic.policyText, "DisplayName": topic.displayName,
            "SubscriptionsConfirmed": String(confirmed), "SubscriptionsPending": "0", "SubscriptionsDeleted": String(topic.deleted),
            "EffectiveDeliveryPolicy": Self.effectiveDeliveryPolicy,
        ]
        for (k, v) in topic.echoed { out[k] = v }
        return out
    }

    /// The effective HTTP delivery policy a topic reports: the defaults of
    /// https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html (3 retries, 20 s apart).
    static let effectiveDeliveryPolicy =
        "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},\"disableSubscriptionOverrides\":false,\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}"

    /// An `Attributes` map of strings, as CreateTopic and Subscribe take it.
    func attributeMap(_ p: Params) throws -> [String: String] {
        try p.stringMap("Attributes") { Self.invalid("Attributes", "\($0) must be a string") }
    }
}
