import DocumentModel

/// One message in a queue, with the state SQS keeps for it.
public final class SQSMessage {
    public let messageID: String
    public let body: String
    public let md5OfBody: String
    /// Message attributes as sent (`Name → {DataType, StringValue | BinaryValue}`).
    public let attributes: [String: Document]
    public let md5OfAttributes: String?
    public let sentAt: VirtualTime
    /// The first moment it may be received (its delay, then each visibility timeout).
    var visibleAt: VirtualTime
    public internal(set) var receiveCount = 0
    public internal(set) var firstReceivedAt: VirtualTime?
    /// The most recent receive's serial; only its receipt handle deletes the message.
    var receipt = 0
    let senderID: String
    /// FIFO only.
    public let groupID: String?
    public let deduplicationID: String?
    public let sequenceNumber: String?
    /// Set when a redrive policy moved the message here from another queue.
    public internal(set) var deadLetterSourceArn: String?

    init(
        messageID: String, body: String, attributes: [String: Document], sentAt: VirtualTime, visibleAt: VirtualTime,
        senderID: String, groupID: String?, deduplicationID: String?, sequenceNumber: String?
    ) {
        self.messageID = messageID
        self.body = body
        md5OfBody = SQSDigest.md5Hex(body)
        self.attributes = attributes
        md5OfAttributes = attributes.isEmpty ? nil : SQSDigest.attributesMD5(attributes)
        self.sentAt = sentAt
        self.visibleAt = visibleAt
        self.senderID = senderID
        self.groupID = groupID
        self.deduplicationID = deduplicationID
        self.sequenceNumber = sequenceNumber
    }

    /// Whether a receive has it and its visibility timeout has not run out.
    func inFlight(at now: VirtualTime) -> Bool { receiveCount > 0 && visibleAt > now }

    /// The system attributes SQS returns, by name (`SentTimestamp` in Unix milliseconds).
    func systemAttributes() -> [String: String] {
        var out: [String: String] = [
            "SenderId": senderID, "SentTimestamp": String(sentAt.unixMilliseconds),
            "ApproximateReceiveCount": String(receiveCount),
            "ApproximateFirstReceiveTimestamp": String((firstReceivedAt ?? sentAt).unixMilliseconds),
        ]
        if let groupID { out["MessageGroupId"] = groupID }
        if let deduplicationID { out["MessageDeduplicationId"] = deduplicationID }
        if let sequenceNumber { out["SequenceNumber"] = sequenceNumber }
        if let deadLetterSourceArn { out["DeadLetterQueueSourceArn"] = deadLetterSourceArn }
        return out
    }
}
