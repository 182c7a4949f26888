import DocumentModel

/// Creating, finding, listing, purging and deleting queues.
extension SQS {
    /// CreateQueue is idempotent: the same name with the same attributes gives the existing
    /// queue, with different ones QueueNameExists
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html).
    func createQueue(_ p: Params) throws -> Document {
        let name = try p.string("QueueName")
        let attributes = try Self.attributeMap(p)
        let fifo = name.hasSuffix(".fifo")
        let stem = fifo ? String(name.dropLast(5)) : name
        guard name.utf8.count <= 80, WordName.isValid(stem, maxLength: 80) else {
            throw AWSError("InvalidParameterValue", "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        }
        if fifo != (attributes["FifoQueue"] == "true") {
            throw AWSError(
                "InvalidParameterValue",
                fifo ? "The name of a FIFO queue can only end with .fifo when the FifoQueue attribute is true."
                    : "The name of a FIFO queue must end with the .fifo suffix.")
        }
        if let existing = queues[name] {
            let current = self.attributes(of: existing)
            for (k, v) in attributes.sorted(by: { $0.key < $1.key })
            where current[k] != v && !(k == "FifoQueue" && v == "true" && existing.isFIFO) {
                throw AWSError("QueueNameExists", "A queue already exists with the same name and a different value for attribute \(k)")
            }
            return ["QueueUrl": .string(existing.url)]
        }
        if let deleted = deletedAt[name], scheduler.now - deleted < .seconds(60) {
            throw AWSError("QueueDeletedRecently", "You must wait 60 seconds after deleting a queue before you can create another with the same name.")
        }
        let queue = SQSQueue(
            name: name, url: "https://sqs.\(region).amazonaws.com/\(accountID)/\(name)",
            arn: "arn:aws:sqs:\(region):\(accountID):\(name)", isFIFO: fifo, createdAt: scheduler.now)
        try apply(attributes, to: queue, creating: true)
        queues[name] = queue
        queueOrder.append(name)
        return ["QueueUrl": .string(queue.url)]
    }

    func getQueueURL(_ p: Params) throws -> Document {
        let name = try p.string("QueueName")
        if let owner = try p.optionalString("QueueOwnerAWSAccountId"), owner != accountID { throw Self.nonExistent }
        guard let queue = queues[name] else { throw Self.nonExistent }
        return ["QueueUrl": .string(queue.url)]
    }

    func getQueueAttributes(_ p: Params) throws -> Document {
        let queue = try queue(p)
        let names = try (p.optionalList("AttributeNames") ?? []).map { $0.stringValue ?? "" }
        let all = attributes(of: queue)
        var out: [String: Document] = [:]
        for name in names {
            if name == "All" {
                for (k, v) in all { out[k] = .string(v) }
            } else if let v = all[name] {
                out[name] = .string(v)
            } else if !Self.readable.contains(name) {
                throw AWSError("InvalidAttributeName", "Unknown Attribute \(name).")
            }
        }
        return out.isEmpty ? [:] : ["Attributes": .map(out)]
    }

    /// The names GetQueueAttributes knows, set or not.
    static let readable: Set<String> = Set(settable.keys).union([
        "All", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn",
    ])

    func setQueueAttributes(_ p: Params) throws -> Document {
        let queue = try queue(p)
        let attributes = try Self.attributeMap(p)
        if attributes["FifoQueue"] != nil { throw Self.invalidAttribute("FifoQueue") }
        // Checked on a scratch queue first, so that a bad attribute leaves every other one unchanged.
        try apply(attributes, to: SQSQueue(name: queue.name, url: queue.url, arn: queue.arn, isFIFO: queue.isFIFO, createdAt: queue.createdAt), creating: false)
        try apply(attributes, to: queue, creating: false)
        queue.lastModified = scheduler.now
        return [:]
    }

    func listQueues(_ p: Params) throws -> Document {
        let prefix = try p.optionalString("QueueNamePrefix") ?? ""
        let limit = try p.optionalInt("MaxResults", in: 1...1000)
        var names = queueOrder.filter { $0.hasPrefix(prefix) }
        var start = 0
        if let token = try p.optionalString("NextToken") {
            guard let n = Int(token), n >= 0, n <= names.count else { throw AWSError("InvalidParameterValue", "Invalid NextToken value.") }
            start = n
        }
        names = Array(names[start...])
        var out: [String: Document] = [:]
        if let limit, names.count > limit {
            names = Array(names.prefix(limit))
            out["NextToken"] = .string(String(start + limit))
        }
        let urls = names.prefix(1000).compactMap { queues[$0]?.url }
        if !urls.isEmpty { out["QueueUrls"] = .array(urls.map(Document.string)) }
        return .map(out)
    }

    /// "Only one PurgeQueue operation on a queue is allowed every 60 seconds"
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html).
    func purgeQueue(_ p: Params) throws -> Document {
        let queue = try queue(p)
        if let last = queue.lastPurge, scheduler.now - last < .seconds(60) {
            throw AWSError("PurgeQueueInProgress", "Only one PurgeQueue operation on \(queue.name) is allowed every 60 seconds.")
        }
        queue.lastPurge = scheduler.now
        queue.messages.removeAll()
        return [:]
    }

    func deleteQueue(_ p: Params) throws -> Document {
        let queue = try queue(p)
        queues[queue.name] = nil
        queueOrder.removeAll { $0 == queue.name }
        deletedAt[queue.name] = scheduler.now
        return [:]
    }
}
