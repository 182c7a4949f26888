import DocumentModel

/// One queue: its settings and its messages, oldest first.
public final class SQSQueue {
    public let name: String
    public let url: String
    public let arn: String
    public let isFIFO: Bool
    public let createdAt: VirtualTime
    public internal(set) var lastModified: VirtualTime
    /// Settings, in seconds or bytes as the attributes give them.
    public internal(set) var visibilityTimeout = 30
    public internal(set) var retentionPeriod = 345_600
    public internal(set) var delaySeconds = 0
    public internal(set) var receiveWaitTime = 0
    public internal(set) var maximumMessageSize = 262_144
    public internal(set) var contentBasedDeduplication = false
    public internal(set) var redrive: RedrivePolicy?
    /// The queue's access policy (the `Policy` attribute), which SNS's deliveries need.
    public internal(set) var policy: PolicyDocument?
    /// Attributes kept as given and echoed (Policy, RedriveAllowPolicy, KMS, FIFO throughput).
    var echoed: [String: String] = [:]
    var messages: [SQSMessage] = []
    /// FIFO: deduplication IDs accepted in the last five minutes, with their message IDs.
    var recentDeduplication: [String: (messageID: String, sequenceNumber: String, at: VirtualTime)] = [:]
    var nextSequence: UInt64 = 1
    var lastPurge: VirtualTime?

    /// A redrive policy: messages received `maxReceiveCount` times move to the target.
    public struct RedrivePolicy: Equatable {
        public let deadLetterTargetArn: String
        public let maxReceiveCount: Int
    }

    init(name: String, url: String, arn: String, isFIFO: Bool, createdAt: VirtualTime) {
        self.name = name
        self.url = url
        self.arn = arn
        self.isFIFO = isFIFO
        self.createdAt = createdAt
        lastModified = createdAt
    }

    /// The messages held at `now`, oldest first, visible or not (for checks: nothing is received).
    public func held(at now: VirtualTime) -> [SQSMessage] {
        expire(at: now)
        return messages
    }

    /// Drops messages older than the retention period. For standard queues "the expiration
    /// of a message is always based on its original enqueue timestamp", also in a dead-letter
    /// queue (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
    func expire(at now: VirtualTime) {
        let limit = VirtualDuration.seconds(Double(retentionPeriod))
        if let first = messages.first, now - first.sentAt >= limit {
            messages.removeAll { now - $0.sentAt >= limit }
        }
        recentDeduplication = recentDeduplication.filter { now - $0.value.at < .minutes(5) }
    }

    /// Messages ready, in flight, and waiting out their delay (the Approximate* attributes).
    func counts(at now: VirtualTime) -> (visible: Int, inFlight: Int, delayed: Int) {
        var visible = 0, inFlight = 0, delayed = 0
        for m in messages {
            if m.visibleAt <= now {
                visible += 1
            } else if m.receiveCount > 0 {
                inFlight += 1
            } else {
                delayed += 1
            }
        }
        return (visible, inFlight, delayed)
    }

    /// The messages a receive may take now, at most `limit`, oldest first. A FIFO queue
    /// gives none of a message group while one of its messages is in flight, and a group's
    /// messages in order (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html).
    func receivable(at now: VirtualTime, limit: Int) -> [SQSMessage] {
        guard isFIFO else { return Array(messages.lazy.filter { $0.visibleAt <= now }.prefix(limit)) }
        var blocked = Set<String>()
        var out: [SQSMessage] = []
        for m in messages where out.count < limit {
            let group = m.groupID ?? ""
            if blocked.contains(group) { continue }
            if m.visibleAt <= now {
                out.append(m)
            } else {
                blocked.insert(group)
            }
        }
        return out
    }
}
