import DocumentModel

/// One log line with its virtual timestamp.
public struct LogEvent: Sendable, Equatable {
    public let time: VirtualTime
    public let message: String
}

/// Per-function counters, the ones CloudWatch keeps for Lambda.
public struct FunctionMetrics: Sendable, Equatable {
    public var invocations = 0
    public var errors = 0
    public var throttles = 0
    /// Invocations that ran into their timeout.
    public var timeouts = 0
    /// Failed invocations per error type (`Runtime.UserCodeSyntaxError`, `AccessDeniedException`, …).
    public var errorTypes: [String: Int] = [:]
    /// The first `[ERROR]` log line of each error type: what the learner needs to see.
    public var errorExamples: [String: String] = [:]
    public var totalDuration = VirtualDuration.zero
    public var maxDuration = VirtualDuration.zero
    /// The oldest record age seen when a stream batch was handed to the function.
    public var maxIteratorAge = VirtualDuration.zero
    public var concurrentExecutions = 0
    public var maxConcurrentExecutions = 0
    /// Asynchronous events discarded after their retries or their maximum age (AsyncEventsDropped).
    public var asyncEventsDropped = 0

    public init() {}
}

/// A function that hit a limit: when, and which limit.
public struct Incident: Sendable, Equatable {
    public let function: String
    public let time: VirtualTime
    /// `timeout`, `instruction limit` or `out of memory`.
    public let kind: String
    public let message: String
}

/// CloudWatch Logs for the account (log groups of events), and Lambda's metrics.
public final class Logs {
    public internal(set) var groups: [String: [LogEvent]] = [:]
    public internal(set) var metrics: [String: FunctionMetrics] = [:]
    /// Functions that ran into their timeout, instruction or memory limit (the first 100).
    public internal(set) var incidents: [Incident] = []

    func incident(_ function: String, at time: VirtualTime, _ kind: String, _ message: String) {
        if incidents.count < 100 { incidents.append(Incident(function: function, time: time, kind: kind, message: message)) }
    }
    /// Lines kept per group; older lines are dropped (a run of hours stays small).
    public var retainedLines = 50_000

    public init() {}

    /// CloudWatch's largest log event; longer lines are cut, as Lambda cuts them.
    public static let maxEventBytes = 256 * 1024

    /// Lines ever appended to each group (retention drops old ones; this never goes down).
    private(set) var appended: [String: Int] = [:]

    /// The lines appended to `group` since it had had `count` appended, as far as kept.
    func lines(of group: String, since count: Int) -> [LogEvent] {
        let events = groups[group] ?? []
        let new = min(events.count, max(0, (appended[group] ?? 0) - count))
        return Array(events.suffix(new))
    }

    public func append(group: String, time: VirtualTime, _ text: String) {
        appended[group, default: 0] += 1
        var message = text
        if message.utf8.count > Self.maxEventBytes {
            message = String(decoding: message.utf8.prefix(Self.maxEventBytes), as: UTF8.self) + " [truncated]"
        }
        // Mutated in place: copying the group's array on every line made logging quadratic.
        groups[group, default: []].append(LogEvent(time: time, message: message))
        if let count = groups[group]?.count, count > retainedLines + retainedLines / 4 {
            groups[group]?.removeFirst(count - retainedLines)
        }
    }

    /// Runs one operation, its request already validated against the model. - Throws: ``AWSError``.
    func execute(_ operation: OperationDescriptor, _ request: Document) throws -> Document {
        let p = try Params(request, errorCode: "InvalidParameterException")
        switch operation.name {
        case "DescribeLogGroups":
            let prefix = try p.optionalString("logGroupNamePrefix") ?? ""
            return ["logGroups": .array(groups.keys.sorted().filter { $0.hasPrefix(prefix) }.map { ["logGroupName": .string($0)] })]
        case "DescribeLogStreams":
            // One stream per function (see docs/fidelity.md), named as FilterLogEvents names it.
            let name = try p.string("logGroupName")
            guard let events = groups[name] else {
                throw AWSError("ResourceNotFoundException", "The specified log group does not exist.")
            }
            var stream: [String: Document] = ["logStreamName": "stream", "storedBytes": 0]
            if let first = events.first, let last = events.last {
                stream["firstEventTimestamp"] = .int(first.time.unixMilliseconds)
                stream["lastEventTimestamp"] = .int(last.time.unixMilliseconds)
            }
            return ["logStreams": [.map(stream)]]
        case "FilterLogEvents":
            let name = try p.string("logGroupName")
            guard let events = groups[name] else {
                throw AWSError("ResourceNotFoundException", "The specified log group does not exist.")
            }
            let pattern = try p.optionalString("filterPattern") ?? ""
            let start = try p.optionalInt("startTime").map { Int64($0) } ?? Int64.min
            let end = try p.optionalInt("endTime").map { Int64($0) } ?? Int64.max
            let limit = try p.optionalInt("limit", in: 1...10_000) ?? 10_000
            let terms = Self.terms(pattern)
            let matched = events.filter { e in
                e.time.unixMilliseconds >= start && e.time.unixMilliseconds <= end && terms.allSatisfy { e.message.contains($0) }
            }
            return [
                "events": .array(matched.prefix(limit).map { ["timestamp": .int($0.time.unixMilliseconds), "message": .string($0.message), "logStreamName": "stream"] })
            ]
        default: throw ServiceRegistry.shared.unknownOperation(.logs, operation.name)
        }
    }

    /// CloudWatch's simplest filter syntax: space-separated terms (quoted for phrases), all required.
    static func terms(_ pattern: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var quoted = false
        for c in pattern {
            if c == "\"" {
                quoted.toggle()
            } else if c == " " && !quoted {
                if !current.isEmpty { terms.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { terms.append(current) }
        return terms
    }
}
