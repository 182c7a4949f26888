import DocumentModel
import Hashing

/// Sending, receiving, deleting and hiding messages
/// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html).
extension SQS {
    /// What a send gives back: the message's ID, and for FIFO queues its sequence number.
    struct Sent {
        let message: SQSMessage?
        let messageID: String
        let sequenceNumber: String?
        let md5OfBody: String
        let md5OfAttributes: String?
    }

    /// Puts one message on `queue`, as SendMessage does, checking what SQS checks.
    func send(
        _ body: String, to queue: SQSQueue, attributes: [String: Document] = [:], delay: Int? = nil, groupID: String? = nil,
        deduplicationID: String? = nil, sender: String
    ) throws -> Sent {
        try Self.checkBody(body)
        try Self.checkAttributes(attributes)
        let size = body.utf8.count + attributes.reduce(0) { total, entry in
            total + entry.key.utf8.count + (entry.value["DataType"]?.stringValue?.utf8.count ?? 0)
                + (entry.value["StringValue"]?.stringValue?.utf8.count ?? entry.value["BinaryValue"]?.bytesValue?.count ?? 0)
        }
        guard size <= queue.maximumMessageSize else {
            throw AWSError("InvalidParameterValue", "One or more parameters are invalid. Reason: Message must be shorter than \(queue.maximumMessageSize) bytes.")
        }
        if let delay {
            guard (0...900).contains(delay) else { throw Self.invalid("DelaySeconds", String(delay), "Must be >= 0 and <= 900.") }
            if queue.isFIFO { throw Self.invalid("DelaySeconds", String(delay), "The request include parameter that is not valid for this queue type.") }
        }
        let now = scheduler.now
        var sequence: String?
        var dedup: String?
        if queue.isFIFO {
            guard let groupID, !groupID.isEmpty else {
                throw AWSError("MissingParameter", "The request must contain the parameter MessageGroupId.")
            }
            guard let id = deduplicationID ?? (queue.contentBasedDeduplication ? Digest.hex(Digest.sha256(Array(body.utf8))) : nil) else {
                throw AWSError(
                    "InvalidParameterValue",
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
            }
            // "If a message with a particular message deduplication ID is sent successfully,
            // any messages sent with the same message deduplication ID are accepted
            // successfully but aren't delivered during the 5-minute deduplication interval."
            if let seen = queue.recentDeduplication[id], now - seen.at < .minutes(5) {
                return Sent(
                    message: nil, messageID: seen.messageID, sequenceNumber: seen.sequenceNumber, md5OfBody: SQSDigest.md5Hex(body),
                    md5OfAttributes: attributes.isEmpty ? nil : SQSDigest.attributesMD5(attributes))
            }
            dedup = id
            // 20 digits that only grow, as SQS's FIFO sequence numbers.
            let digits = String(queue.nextSequence)
            sequence = "1" + String(repeating: "0", count: max(0, 19 - digits.count)) + digits
            queue.nextSequence += 1
        } else if deduplicationID != nil {
            throw Self.invalid("MessageDeduplicationId", deduplicationID ?? "", "The request include parameter that is not valid for this queue type.")
        }
        let message = SQSMessage(
            messageID: random.uuid(), body: body, attributes: attributes, sentAt: now,
            visibleAt: now + .seconds(Double(delay ?? queue.delaySeconds)), senderID: sender, groupID: groupID,
            deduplicationID: dedup, sequenceNumber: sequence)
        queue.messages.append(message)
        if let dedup, let sequence { queue.recentDeduplication[dedup] = (message.messageID, sequence, now) }
        return Sent(
            message: message, messageID: message.messageID, sequenceNumber: sequence, md5OfBody: message.md5OfBody,
            md5OfAttributes: message.md5OfAttributes)
    }

    /// Only the characters XML allows: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
    static func checkBody(_ body: String) throws(AWSError) {
        guard !body.isEmpty else { throw AWSError("MissingParameter", "The request must contain the parameter MessageBody.") }
        for scalar in body.unicodeScalars {
            let v = scalar.value
            let allowed = v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v) || v >= 0x10000
            if !allowed {
                throw AWSError("InvalidMessageContents", "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
            }
        }
    }

    /// At most 10 attributes, each with a data type of String, Number or Binary (optionally
    /// with a custom suffix) and the matching value.
    static func checkAttributes(_ attributes: [String: Document]) throws(AWSError) {
        guard attributes.count <= 10 else {
            throw AWSError("InvalidParameterValue", "Number of message attributes [\(attributes.count)] exceeds the allowed maximum [10].")
        }
        // By name, so of two bad attributes the same one is named in every process.
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            let type = value["DataType"]?.stringValue ?? ""
            let base = type.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
            guard ["String", "Number", "Binary"].contains(base) else {
                throw AWSError("InvalidParameterValue", "The type of message (user) attribute '\(name)' is invalid. You must use only the following supported type prefixes: Binary, Number, String.")
            }
            let hasValue = base == "Binary" ? value["BinaryValue"]?.bytesValue != nil : value["StringValue"]?.stringValue != nil
            guard hasValue else {
                throw AWSError("InvalidParameterValue", "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(type)'.")
            }
            if base == "Number", Double(value["StringValue"]?.stringValue ?? "") == nil {
                throw AWSError("InvalidParameterValue", "Can't cast the value of message (user) attribute '\(name)' to a number.")
            }
        }
    }

    func sendMessage(_ p: Params, sender: String) throws -> Document {
        let queue = try queue(p)
        let sent = try send(
            try p.string("MessageBody"), to: queue, attributes: try p.optionalMap("MessageAttributes") ?? [:],
            delay: try p.optionalInt("DelaySeconds"), groupID: try p.optionalString("MessageGroupId"),
            deduplicationID: try p.optionalString("MessageDeduplicationId"), sender: sender)
        return .map(Self.sentFields(sent))
    }

    static func sentFields(_ sent: Sent) -> [String: Document] {
        var out: [String: Document] = ["MessageId": .string(sent.messageID), "MD5OfMessageBody": .string(sent.md5OfBody)]
        if let md5 = sent.md5OfAttributes { out["MD5OfMessageAttributes"] = .string(md5) }
        if let sequence = sent.sequenceNumber { out["SequenceNumber"] = .string(sequence) }
        return out
    }

    /// Checks a batch's entries: 1 to 10, with distinct IDs of letters, digits, - and _.
    /// - Parameter entryShape: the entries' shape, as the empty-batch error names it.
    static func batchEntries(_ p: Params, of entryShape: String) throws -> [(id: String, entry: Params)] {
        let entries = try p.list("Entries")
        guard !entries.isEmpty else { throw AWSError("EmptyBatchRequest", "There should be at least one \(entryShape) in the request.") }
        guard entries.count <= 10 else {
            throw AWSError("TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent \(entries.count).")
        }
        var seen = Set<String>()
        return try entries.map { raw in
            let entry = try Params(raw, errorCode: "InvalidParameterValue")
            let id = try entry.string("Id")
            guard WordName.isValid(id, maxLength: 80) else {
                throw AWSError("InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
            }
            guard seen.insert(id).inserted else { throw AWSError("BatchEntryIdsNotDistinct", "Id \(id) repeated.") }
            return (id, entry)
        }
    }

    /// Runs `body` for each entry of a batch: each succeeds (with the fields it returns and
    /// its `Id`) or fails with its own error, as the batch result lists them.
    static func batch(_ entries: [(id: String, entry: Params)], _ body: (Params) throws -> [String: Document]) throws -> Document {
        var successful: [Document] = []
        var failed: [Document] = []
        for (id, entry) in entries {
            do {
                var fields = try body(entry)
                fields["Id"] = .string(id)
                successful.append(.map(fields))
            } catch let error as AWSError {
                failed.append(["Id": .string(id), "SenderFault": true, "Code": .string(error.code), "Message": .string(error.message)])
            }
        }
        return ["Successful": .array(successful), "Failed": .array(failed)]
    }

    func sendMessageBatch(_ p: Params, sender: String) throws -> Document {
        let queue = try queue(p)
        let entries = try Self.batchEntries(p, of: "SendMessageBatchRequestEntry")
        let total = entries.reduce(0) { $0 + ((try? $1.entry.string("MessageBody"))?.utf8.count ?? 0) }
        guard total <= 1_048_576 else {
            throw AWSError("BatchRequestTooLong", "Batch requests cannot be longer than 1048576 bytes. You have sent \(total) bytes.")
        }
        return try Self.batch(entries) { entry in
            Self.sentFields(try send(
                try entry.string("MessageBody"), to: queue, attributes: try entry.optionalMap("MessageAttributes") ?? [:],
                delay: try entry.optionalInt("DelaySeconds"), groupID: try entry.optionalString("MessageGroupId"),
                deduplicationID: try entry.optionalString("MessageDeduplicationId"), sender: sender))
        }
    }

    /// One received message and the receipt handle that now stands for it.
    public struct Received {
        public let message: SQSMessage
        public let receiptHandle: String
    }

    /// Receives up to `limit` messages, hiding each for `visibility` seconds. Messages past
    /// their redrive policy's `maxReceiveCount` move to the dead-letter queue instead.
    func receive(from queue: SQSQueue, limit: Int, visibility: Int?) -> [Received] {
        let now = scheduler.now
        queue.expire(at: now)
        var out: [Received] = []
        while out.count < limit {
            let candidates = queue.receivable(at: now, limit: limit - out.count).filter { m in !out.contains { $0.message === m } }
            guard !candidates.isEmpty else { break }
            var moved = false
            for m in candidates {
                if let redrive = queue.redrive, m.receiveCount >= redrive.maxReceiveCount, let dlq = self.queue(arn: redrive.deadLetterTargetArn) {
                    queue.messages.removeAll { $0 === m }
                    m.deadLetterSourceArn = queue.arn
                    m.visibleAt = now
                    dlq.messages.append(m)
                    moved = true
                    continue
                }
                receipts += 1
                m.receiveCount += 1
                m.receipt = receipts
                if m.firstReceivedAt == nil { m.firstReceivedAt = now }
                m.visibleAt = now + .seconds(Double(visibility ?? queue.visibilityTimeout))
                out.append(Received(message: m, receiptHandle: Self.handle(queue, m)))
            }
            // A move may free a FIFO group's next messages; otherwise one pass is all there is.
            if !moved { break }
        }
        return out
    }

    static func handle(_ queue: SQSQueue, _ m: SQSMessage) -> String {
        Base64.encode(Array("\(queue.name) \(m.messageID) \(m.receipt)".utf8))
    }

    /// The message and receive serial a receipt handle names, if it is one of this queue's.
    func parse(handle: String, in queue: SQSQueue) throws(AWSError) -> (message: SQSMessage?, receipt: Int) {
        let invalid = AWSError("ReceiptHandleIsInvalid", "The input receipt handle \"\(handle)\" is not a valid receipt handle.")
        guard let bytes = Base64.decode(handle), let text = String(validating: bytes, as: UTF8.self) else { throw invalid }
        let parts = text.split(separator: " ")
        guard parts.count == 3, String(parts[0]) == queue.name, let receipt = Int(parts[2]) else { throw invalid }
        let id = String(parts[1])
        return (queue.messages.first { $0.messageID == id }, receipt)
    }

    func receiveMessage(_ p: Params) throws -> Document {
        let queue = try queue(p)
        let limit = try p.optionalInt("MaxNumberOfMessages") ?? 1
        guard (1...10).contains(limit) else { throw Self.invalid("MaxNumberOfMessages", String(limit), "Must be between 1 and 10, if provided.") }
        let visibility = try p.optionalInt("VisibilityTimeout")
        if let visibility, !(0...43_200).contains(visibility) {
            throw Self.invalid("VisibilityTimeout", String(visibility), "Must be >= 0 and <= 43200, if provided.")
        }
        if let wait = try p.optionalInt("WaitTimeSeconds"), !(0...20).contains(wait) {
            throw Self.invalid("WaitTimeSeconds", String(wait), "Must be >= 0 and <= 20, if provided.")
        }
        let systemNames = try ((p.optionalList("MessageSystemAttributeNames") ?? []) + (p.optionalList("AttributeNames") ?? []))
            .compactMap(\.stringValue)
        let attributeNames = try (p.optionalList("MessageAttributeNames") ?? []).compactMap(\.stringValue)
        let received = receive(from: queue, limit: limit, visibility: visibility)
        guard !received.isEmpty else { return [:] }
        return ["Messages": .array(received.map { Self.document($0, system: Set(systemNames), attributes: attributeNames) })]
    }

    /// A message as ReceiveMessage returns it, with the system and message attributes asked for.
    static func document(_ r: Received, system: Set<String>, attributes names: [String]) -> Document {
        let m = r.message
        var d: [String: Document] = [
            "MessageId": .string(m.messageID), "ReceiptHandle": .string(r.receiptHandle), "MD5OfBody": .string(m.md5OfBody),
            "Body": .string(m.body),
        ]
        let systemAttributes = m.systemAttributes().filter { system.contains("All") || system.contains($0.key) }
        if !systemAttributes.isEmpty { d["Attributes"] = .map(systemAttributes.mapValues(Document.string)) }
        let chosen = m.attributes.filter { entry in
            names.contains { $0 == "All" || $0 == ".*" || $0 == entry.key || ($0.hasSuffix(".*") && entry.key.hasPrefix($0.dropLast(1))) }
        }
        if !chosen.isEmpty {
            d["MessageAttributes"] = .map(chosen)
            d["MD5OfMessageAttributes"] = .string(SQSDigest.attributesMD5(chosen))
        }
        return .map(d)
    }

    /// Deletes the message a receipt handle names. "If you don't provide the most recently
    /// received receipt handle for the message ... the request succeeds, but the message might
    /// not be deleted" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html).
    func delete(handle: String, in queue: SQSQueue) throws(AWSError) {
        let (message, receipt) = try parse(handle: handle, in: queue)
        guard let message, message.receipt == receipt else { return }
        queue.messages.removeAll { $0 === message }
    }

    func deleteMessage(_ p: Params) throws -> Document {
        try delete(handle: try p.string("ReceiptHandle"), in: try queue(p))
        return [:]
    }

    func deleteMessageBatch(_ p: Params) throws -> Document {
        let queue = try queue(p)
        return try Self.batch(try Self.batchEntries(p, of: "DeleteMessageBatchRequestEntry")) { entry in
            try delete(handle: try entry.string("ReceiptHandle"), in: queue)
            return [:]
        }
    }

    /// A new visibility timeout, counted from now, for a message in flight.
    func changeVisibility(handle: String, in queue: SQSQueue, to seconds: Int) throws(AWSError) {
        guard (0...43_200).contains(seconds) else {
            throw Self.invalid("VisibilityTimeout", String(seconds), "Must be >= 0 and <= 43200, if provided.")
        }
        let (message, receipt) = try parse(handle: handle, in: queue)
        let now = scheduler.now
        guard let message, message.inFlight(at: now) else {
            throw AWSError("MessageNotInflight", "Value \(handle) for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.")
        }
        guard message.receipt == receipt else {
            throw AWSError("ReceiptHandleIsInvalid", "The receipt handle has expired.")
        }
        message.visibleAt = now + .seconds(Double(seconds))
    }

    func changeMessageVisibility(_ p: Params) throws -> Document {
        try changeVisibility(handle: try p.string("ReceiptHandle"), in: try queue(p), to: try p.int("VisibilityTimeout"))
        return [:]
    }

    func changeMessageVisibilityBatch(_ p: Params) throws -> Document {
        let queue = try queue(p)
        return try Self.batch(try Self.batchEntries(p, of: "ChangeMessageVisibilityBatchRequestEntry")) { entry in
            try changeVisibility(handle: try entry.string("ReceiptHandle"), in: queue, to: try entry.int("VisibilityTimeout"))
            return [:]
        }
    }
}
