import DocumentModel
import Hashing

/// Publishing to a topic and delivering to each subscription
/// (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
extension SNS {
    /// A published message as each subscription receives it.
    struct Notification {
        let messageID: String
        let topicArn: String
        let subject: String?
        /// The message, or with `MessageStructure: json` the map of messages by protocol.
        let message: String
        let byProtocol: [String: String]?
        let attributes: [String: Document]
        let timestamp: VirtualTime

        func message(for kind: SNSProtocol) -> String { byProtocol?[kind.rawValue] ?? byProtocol?["default"] ?? message }
    }

    func publish(_ p: Params) throws -> Document {
        let topic = try publishTarget(p)
        let notification = try notification(p, topic: topic)
        deliver(notification, from: topic)
        return ["MessageId": .string(notification.messageID)]
    }

    /// Up to 10 entries with distinct IDs; each is published or fails alone
    /// (https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html).
    func publishBatch(_ p: Params) throws -> Document {
        let topic = try topic(try p.string("TopicArn"))
        let entries = try p.list("PublishBatchRequestEntries")
        guard !entries.isEmpty else { throw AWSError("EmptyBatchRequestException", "The batch request doesn't contain any entries.") }
        guard entries.count <= 10 else {
            throw AWSError("TooManyEntriesInBatchRequestException", "The batch request contains more entries than permissible.")
        }
        var seen = Set<String>()
        var parsed: [(id: String, entry: Params)] = []
        var total = 0
        for raw in entries {
            let entry = try Params(raw, errorCode: "InvalidParameterException")
            let id = try entry.string("Id")
            guard WordName.isValid(id, maxLength: 80) else {
                throw AWSError("InvalidBatchEntryIdException", "The Id of a batch entry in a batch request doesn't abide by the specification.")
            }
            guard seen.insert(id).inserted else {
                throw AWSError("BatchEntryIdsNotDistinctException", "Two or more batch entries in the request have the same Id.")
            }
            total += (try entry.optionalString("Message") ?? "").utf8.count
            parsed.append((id, entry))
        }
        guard total <= 262_144 else {
            throw AWSError("BatchRequestTooLongException", "The length of all the messages put together is more than the limit.")
        }
        var successful: [Document] = []
        var failed: [Document] = []
        for (id, entry) in parsed {
            do {
                let notification = try notification(entry, topic: topic)
                deliver(notification, from: topic)
                successful.append(["Id": .string(id), "MessageId": .string(notification.messageID)])
            } catch let error as AWSError {
                let code = ServiceRegistry.shared.model(.sns).shape(named: error.code)?.errorCode ?? error.code
                failed.append(["Id": .string(id), "Code": .string(code), "Message": .string(error.message), "SenderFault": true])
            }
        }
        return ["Successful": .array(successful), "Failed": .array(failed)]
    }

    private func publishTarget(_ p: Params) throws -> SNSTopic {
        if p.has("PhoneNumber") {
            throw Self.invalid("PhoneNumber", "SMS is outside the simulated account: publish to a topic.")
        }
        guard let arn = try p.optionalString("TopicArn") ?? p.optionalString("TargetArn") else {
            throw Self.invalid("TopicArn or TargetArn", "One of the parameters is required")
        }
        return try topic(arn)
    }

    /// Checks one message (Publish's or a batch entry's) as SNS does and gives it an ID.
    private func notification(_ p: Params, topic: SNSTopic) throws -> Notification {
        let message = try p.string("Message")
        guard !message.isEmpty else { throw Self.invalid("Message", "Empty message") }
        var byProtocol: [String: String]?
        if let structure = try p.optionalString("MessageStructure") {
            guard structure == "json" else { throw Self.invalid("MessageStructure", "Invalid value [\(structure)], must be json") }
            guard let map = (try? Document(jsonText: message))?.mapValue else {
                throw AWSError("InvalidParameterException", "Invalid parameter: Message Structure - JSON message body failed to parse")
            }
            guard map["default"]?.stringValue != nil else {
                throw AWSError("InvalidParameterException", "Invalid parameter: Message Structure - No default entry in JSON message body")
            }
            byProtocol = map.compactMapValues(\.stringValue)
        }
        let subject = try p.optionalString("Subject")
        if let subject {
            // "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters long."
            guard !subject.isEmpty, subject.count < 100, !subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw Self.invalid("Subject", "Subject must be less than 100 characters long, with no line breaks or control characters")
            }
        }
        if p.has("MessageDeduplicationId") {
            throw Self.invalid("MessageDeduplicationId", "The request includes MessageDeduplicationId parameter that is not valid for this topic type")
        }
        let attributes = try p.optionalMap("MessageAttributes") ?? [:]
        try Self.checkAttributes(attributes)
        let size = message.utf8.count + attributes.reduce(0) { $0 + $1.key.utf8.count + (($1.value["StringValue"]?.stringValue?.utf8.count) ?? ($1.value["BinaryValue"]?.bytesValue?.count ?? 0)) }
        guard size <= 262_144 else {
            throw Self.invalid("Message too long", "Message must be shorter than 262144 bytes")
        }
        return Notification(
            messageID: random.uuid(), topicArn: topic.arn, subject: subject, message: message, byProtocol: byProtocol, attributes: attributes,
            timestamp: scheduler.now)
    }

    /// Message attributes: a data type of String, Number or Binary (with an optional
    /// `.suffix`) or String.Array, and a value of that type
    /// (https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html).
    static func checkAttributes(_ attributes: [String: Document]) throws {
        for name in attributes.keys.sorted() {
            let value = attributes[name] ?? .null
            guard let type = value["DataType"]?.stringValue, !type.isEmpty else {
                throw invalid("MessageAttributes", "The message attribute '\(name)' must contain non-empty message attribute type.")
            }
            let base = type.split(separator: ".", maxSplits: 1).first.map(String.init) ?? type
            switch base {
            case "String" where type.hasPrefix("String.Array"):
                guard let text = value["StringValue"]?.stringValue, (try? Document(jsonText: text))?.arrayValue != nil else {
                    throw invalid("MessageAttributes", "The message attribute '\(name)' with type 'String.Array' has an invalid value: it must be a JSON array.")
                }
            case "String":
                guard value["StringValue"]?.stringValue != nil else {
                    throw invalid("MessageAttributes", "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type 'String'.")
                }
            case "Number":
                guard let text = value["StringValue"]?.stringValue, Double(text) != nil else {
                    throw invalid("MessageAttributes", "Could not cast message attribute '\(name)' value to number.")
                }
            case "Binary":
                guard value["BinaryValue"]?.bytesValue != nil else {
                    throw invalid("MessageAttributes", "The message attribute '\(name)' with type 'Binary' must contain a BinaryValue.")
                }
            default:
                throw invalid("MessageAttributes", "The message attribute '\(name)' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.")
            }
        }
    }

    /// Delivers to every subscription whose filter policy passes the message. Delivery is
    /// immediate in virtual time; a refused or broken endpoint counts as a failed delivery.
    func deliver(_ notification: Notification, from topic: SNSTopic) {
        for arn in topic.subscriptions {
            guard let subscription = subscriptions[arn], passes(notification, subscription) else { continue }
            if deliver(notification, to: subscription) {
                subscription.deliveries += 1
            } else {
                subscription.failedDeliveries += 1
            }
        }
    }

    private func passes(_ notification: Notification, _ subscription: SNSSubscription) -> Bool {
        guard let policy = subscription.filterPolicy else { return true }
        switch subscription.filterPolicyScope {
        case .messageAttributes: return policy.matches(attributes: notification.attributes)
        case .messageBody:
            // A body that is not JSON matches no body-scoped policy.
            guard let body = try? Document(jsonText: notification.message(for: subscription.protocol)) else { return false }
            return policy.matches(body: body)
        }
    }

    /// The condition keys SNS's own requests carry, for the endpoint's resource policy.
    private func sourceContext(_ topicArn: String) -> [String: String] {
        ["aws:sourcearn": topicArn, "aws:sourceaccount": accountID, "aws:sourceowner": accountID]
    }

    private func deliver(_ notification: Notification, to subscription: SNSSubscription) -> Bool {
        let context = sourceContext(notification.topicArn)
        switch subscription.protocol {
        case .sqs:
            // SNS sends as the service: the queue's own policy must allow it
            // (https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html).
            guard let queue = sqs.queue(arn: subscription.endpoint),
                queue.policy?.verdict(for: .service("sns.amazonaws.com"), action: "sqs:SendMessage", resource: queue.arn, context: context) == .allow
            else { return false }
            let body = subscription.rawMessageDelivery ? notification.message(for: .sqs) : envelope(notification, subscription).jsonTextOrEmpty
            let attributes = subscription.rawMessageDelivery ? notification.attributes : [:]
            queue.expire(at: scheduler.now)
            return (try? sqs.send(body, to: queue, attributes: attributes, sender: Self.senderID)) != nil
        case .lambda:
            // The function's resource-based policy must let SNS invoke it (lambda add-permission).
            guard let function = try? lambda.function(subscription.endpoint),
                function.policy?.verdict(for: .service("sns.amazonaws.com"), action: "lambda:InvokeFunction", resource: function.arn, context: context) == .allow
            else { return false }
            let record: Document = [
                "EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": .string(subscription.arn),
                "Sns": lambdaFields(notification, subscription),
            ]
            lambda.invokeAsync(function, event: ["Records": [record]])
            return true
        }
    }

    /// The SenderId of messages SNS delivers to queues.
    static let senderID = "sns.amazonaws.com"

    /// The JSON document an SQS subscription without raw delivery receives
    /// (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).
    func envelope(_ notification: Notification, _ subscription: SNSSubscription) -> Document {
        var fields = commonFields(notification, subscription)
        fields["SigningCertURL"] = .string(signingCertURL)
        fields["UnsubscribeURL"] = .string(unsubscribeURL(subscription.arn))
        if let subject = notification.subject { fields["Subject"] = .string(subject) }
        if !notification.attributes.isEmpty { fields["MessageAttributes"] = envelopeAttributes(notification.attributes) }
        return .map(fields)
    }

    /// The `Sns` member of a Lambda event record: the envelope's fields, with `Url` spelled
    /// as Lambda spells it, `Subject` null when there is none, and attributes always present.
    private func lambdaFields(_ notification: Notification, _ subscription: SNSSubscription) -> Document {
        var fields = commonFields(notification, subscription)
        fields["SigningCertUrl"] = .string(signingCertURL)
        fields["UnsubscribeUrl"] = .string(unsubscribeURL(subscription.arn))
        fields["Subject"] = notification.subject.map { .string($0) } ?? .null
        fields["MessageAttributes"] = envelopeAttributes(notification.attributes)
        return .map(fields)
    }

    private func commonFields(_ notification: Notification, _ subscription: SNSSubscription) -> [String: Document] {
        let message = notification.message(for: subscription.protocol)
        let timestamp = UnixTimeText.iso8601(notification.timestamp.unixSeconds)
        // Not AWS's RSA signature (no private key of AWS's exists here): a SHA-256 of the
        // fields SNS signs, so that equal messages have equal signatures (docs/fidelity.md).
        let signed = "Message\n\(message)\nMessageId\n\(notification.messageID)\nTimestamp\n\(timestamp)\nTopicArn\n\(notification.topicArn)\nType\nNotification\n"
        return [
            "Type": "Notification", "MessageId": .string(notification.messageID), "TopicArn": .string(notification.topicArn),
            "Message": .string(message), "Timestamp": .string(timestamp), "SignatureVersion": "1",
            "Signature": .string(Base64.encode(Digest.sha256(Array(signed.utf8)))),
        ]
    }

    private var signingCertURL: String { "https://sns.\(region).amazonaws.com/SimpleNotificationService-labengine.pem" }

    private func unsubscribeURL(_ subscriptionArn: String) -> String {
        "https://sns.\(region).amazonaws.com/?Action=Unsubscribe&SubscriptionArn=\(subscriptionArn)"
    }

    /// `{name: {Type, Value}}`, binary values in base64.
    private func envelopeAttributes(_ attributes: [String: Document]) -> Document {
        .map(attributes.mapValues { value in
            let type = value["DataType"]?.stringValue ?? "String"
            let text = value["StringValue"]?.stringValue ?? value["BinaryValue"]?.bytesValue.map { Base64.encode($0) } ?? ""
            return ["Type": .string(type), "Value": .string(text)]
        })
    }
}
