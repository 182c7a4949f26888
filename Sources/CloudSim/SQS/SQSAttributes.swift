import DocumentModel

/// Reading and writing queue attributes, with SQS's ranges and defaults
/// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
extension SQS {
    /// The attributes a caller may set, and their valid integer ranges where they are numbers.
    static let settable: [String: ClosedRange<Int>?] = [
        "DelaySeconds": 0...900, "MaximumMessageSize": 1024...1_048_576, "MessageRetentionPeriod": 60...1_209_600,
        "ReceiveMessageWaitTimeSeconds": 0...20, "VisibilityTimeout": 0...43_200, "Policy": nil, "RedrivePolicy": nil,
        "RedriveAllowPolicy": nil, "FifoQueue": nil, "ContentBasedDeduplication": nil, "KmsMasterKeyId": nil,
        "KmsDataKeyReusePeriodSeconds": 60...86_400, "SqsManagedSseEnabled": nil, "DeduplicationScope": nil,
        "FifoThroughputLimit": nil,
    ]

    static func invalidAttribute(_ name: String) -> AWSError {
        AWSError("InvalidAttributeValue", "Invalid value for the parameter \(name).")
    }

    /// Checks every attribute of a create or set request and applies them to `queue`.
    func apply(_ attributes: [String: String], to queue: SQSQueue, creating: Bool) throws {
        for name in attributes.keys.sorted() {
            guard let value = attributes[name] else { continue }
            guard let range = Self.settable[name] else { throw AWSError("InvalidAttributeName", "Unknown Attribute \(name).") }
            if let range {
                guard let n = Int(value), range.contains(n) else { throw Self.invalidAttribute(name) }
                switch name {
                case "DelaySeconds": queue.delaySeconds = n
                case "MaximumMessageSize": queue.maximumMessageSize = n
                case "MessageRetentionPeriod": queue.retentionPeriod = n
                case "ReceiveMessageWaitTimeSeconds": queue.receiveWaitTime = n
                case "VisibilityTimeout": queue.visibilityTimeout = n
                default: queue.echoed[name] = value
                }
                continue
            }
            switch name {
            case "FifoQueue":
                // Set only at creation, and only to what the name says.
                guard creating, value == (queue.isFIFO ? "true" : "false") || (!queue.isFIFO && value == "false") else {
                    throw Self.invalidAttribute(name)
                }
            case "ContentBasedDeduplication":
                guard queue.isFIFO, value == "true" || value == "false" else { throw Self.invalidAttribute(name) }
                queue.contentBasedDeduplication = value == "true"
            case "RedrivePolicy":
                queue.redrive = value.isEmpty ? nil : try redrivePolicy(value, for: queue)
            case "Policy":
                // A queue policy is a resource-based policy: it names its principals.
                do { queue.policy = value.isEmpty ? nil : try PolicyDocument(text: value, kind: .resource) } catch {
                    throw AWSError("InvalidAttributeValue", "Invalid value for the parameter Policy. Reason: \(error.message)")
                }
                queue.echoed[name] = value.isEmpty ? nil : value
            case "RedriveAllowPolicy":
                if !value.isEmpty, (try? Document(jsonText: value))?.mapValue == nil { throw Self.invalidAttribute(name) }
                queue.echoed[name] = value.isEmpty ? nil : value
            case "DeduplicationScope", "FifoThroughputLimit":
                guard queue.isFIFO else { throw Self.invalidAttribute(name) }
                queue.echoed[name] = value
            default:
                queue.echoed[name] = value
            }
        }
    }

    /// `{"deadLetterTargetArn": ARN, "maxReceiveCount": N}`: the target must exist, in this
    /// account, and be of the same type (a FIFO queue's dead-letter queue is FIFO).
    private func redrivePolicy(_ text: String, for queue: SQSQueue) throws -> SQSQueue.RedrivePolicy {
        let fail = { (reason: String) in Self.invalid("RedrivePolicy", text, reason) }
        guard let json = try? Document(jsonText: text), json.mapValue != nil else { throw fail("Invalid JSON.") }
        guard let target = json["deadLetterTargetArn"]?.stringValue else { throw fail("Redrive policy is not a valid JSON map, deadLetterTargetArn is missing.") }
        let countValue = json["maxReceiveCount"]
        guard let count = countValue?.intValue.map(Int.init) ?? countValue?.stringValue.flatMap({ Int($0) }), (1...1000).contains(count) else {
            throw fail("Invalid value for maxReceiveCount: must be an integer from 1 to 1000.")
        }
        guard let dlq = self.queue(arn: target) else { throw fail("Dead letter target does not exist.") }
        guard dlq.isFIFO == queue.isFIFO else {
            throw fail("Dead-letter queue must be same type of queue as the source.")
        }
        return SQSQueue.RedrivePolicy(deadLetterTargetArn: target, maxReceiveCount: count)
    }

    /// Every attribute as GetQueueAttributes names it (numbers as text, as the API has them).
    func attributes(of queue: SQSQueue) -> [String: String] {
        let counts = queue.counts(at: scheduler.now)
        var out: [String: String] = [
            "QueueArn": queue.arn, "ApproximateNumberOfMessages": String(counts.visible),
            "ApproximateNumberOfMessagesNotVisible": String(counts.inFlight),
            "ApproximateNumberOfMessagesDelayed": String(counts.delayed),
            "CreatedTimestamp": String(Int64(queue.createdAt.unixSeconds)),
            "LastModifiedTimestamp": String(Int64(queue.lastModified.unixSeconds)),
            "VisibilityTimeout": String(queue.visibilityTimeout), "MaximumMessageSize": String(queue.maximumMessageSize),
            "MessageRetentionPeriod": String(queue.retentionPeriod), "DelaySeconds": String(queue.delaySeconds),
            "ReceiveMessageWaitTimeSeconds": String(queue.receiveWaitTime), "SqsManagedSseEnabled": "true",
        ]
        if queue.isFIFO {
            out["FifoQueue"] = "true"
            out["ContentBasedDeduplication"] = String(queue.contentBasedDeduplication)
            out["DeduplicationScope"] = "queue"
            out["FifoThroughputLimit"] = "perQueue"
        }
        if let redrive = queue.redrive {
            out["RedrivePolicy"] = "{\"deadLetterTargetArn\":\"\(redrive.deadLetterTargetArn)\",\"maxReceiveCount\":\(redrive.maxReceiveCount)}"
        }
        for (k, v) in queue.echoed { out[k] = v }
        return out
    }

    /// An `Attributes` map of strings, as CreateQueue and SetQueueAttributes take it.
    static func attributeMap(_ p: Params) throws -> [String: String] {
        try p.stringMap("Attributes") { invalidAttribute($0) }
    }
}
