import DocumentModel

/// Scheduled rules (EventBridge's `rate(...)` schedules) that invoke functions, and
/// host callbacks on the same clock.
public final class Events {
    public let region: String
    public let accountID: String
    let scheduler: Scheduler
    weak var lambda: Lambda?

    public final class Rule {
        public let name: String
        public let arn: String
        public internal(set) var interval: VirtualDuration
        public internal(set) var expression: String
        public internal(set) var enabled: Bool
        public internal(set) var targets: [(id: String, arn: String)] = []
        var generation = 0
        init(name: String, arn: String, interval: VirtualDuration, expression: String, enabled: Bool) {
            self.name = name
            self.arn = arn
            self.interval = interval
            self.expression = expression
            self.enabled = enabled
        }
    }

    public internal(set) var rules: [String: Rule] = [:]

    init(region: String, accountID: String, scheduler: Scheduler) {
        self.region = region
        self.accountID = accountID
        self.scheduler = scheduler
    }

    /// `rate(N unit)` as a duration.
    /// - Throws: ValidationException for anything else (cron is not simulated).
    public static func parseRate(_ expression: String) throws(AWSError) -> VirtualDuration {
        let trimmed = expression.trimmingPrefix("rate(")
        guard expression.hasPrefix("rate("), trimmed.hasSuffix(")") else {
            throw AWSError.validation("Parameter ScheduleExpression is not valid: only rate(N unit) schedules are simulated, not '\(expression)'.")
        }
        let parts = trimmed.dropLast().split(separator: " ")
        guard parts.count == 2, let n = Int(parts[0]), n > 0 else {
            throw AWSError.validation("Parameter ScheduleExpression is not valid.")
        }
        let unit = String(parts[1])
        let seconds: Double
        switch unit {
        case "minute" where n == 1, "minutes" where n > 1: seconds = 60
        case "hour" where n == 1, "hours" where n > 1: seconds = 3600
        case "day" where n == 1, "days" where n > 1: seconds = 86_400
        default: throw AWSError.validation("Parameter ScheduleExpression is not valid.")
        }
        return .seconds(seconds * Double(n))
    }

    /// Runs `action` every `interval`, first at `start`, until it returns false.
    public func every(_ interval: VirtualDuration, startingAt start: VirtualTime, _ action: @escaping (VirtualTime) -> Bool) {
        scheduler.schedule(at: start) { [weak self] in
            guard let self else { return }
            let now = self.scheduler.now
            if action(now) { self.every(interval, startingAt: now + interval, action) }
        }
    }

    /// Runs one operation, its request already validated against the model. - Throws: ``AWSError``.
    func execute(_ operation: OperationDescriptor, _ request: Document) throws -> Document {
        let p = try Params(request)
        switch operation.name {
        case "PutRule":
            let name = try p.string("Name")
            let expression = try p.string("ScheduleExpression")
            let interval = try Self.parseRate(expression)
            let enabled = try p.choice("State", ["ENABLED", "DISABLED"], default: "ENABLED") == "ENABLED"
            let rule = rules[name] ?? Rule(name: name, arn: "arn:aws:events:\(region):\(accountID):rule/\(name)", interval: interval, expression: expression, enabled: enabled)
            rule.interval = interval
            rule.expression = expression
            rule.enabled = enabled
            rules[name] = rule
            restart(rule)
            return ["RuleArn": .string(rule.arn)]
        case "DescribeRule":
            let rule = try rule(try p.string("Name"))
            return ["Name": .string(rule.name), "Arn": .string(rule.arn), "ScheduleExpression": .string(rule.expression), "State": .string(rule.enabled ? "ENABLED" : "DISABLED")]
        case "DeleteRule":
            let rule = try rule(try p.string("Name"))
            guard rule.targets.isEmpty else { throw AWSError.validation("Rule can't be deleted since it has targets.") }
            rule.generation += 1
            rules[rule.name] = nil
            return [:]
        case "ListRules":
            return ["Rules": .array(rules.keys.sorted().compactMap { rules[$0] }.map { ["Name": .string($0.name), "Arn": .string($0.arn), "ScheduleExpression": .string($0.expression), "State": .string($0.enabled ? "ENABLED" : "DISABLED")] })]
        case "PutTargets":
            let rule = try rule(try p.string("Rule"))
            for target in try p.list("Targets") {
                let tp = try Params(target)
                let id = try tp.string("Id")
                let arn = try tp.string("Arn")
                rule.targets.removeAll { $0.id == id }
                rule.targets.append((id, arn))
            }
            return ["FailedEntryCount": 0, "FailedEntries": []]
        case "RemoveTargets":
            let rule = try rule(try p.string("Rule"))
            let ids = try p.list("Ids").compactMap(\.stringValue)
            rule.targets.removeAll { ids.contains($0.id) }
            return ["FailedEntryCount": 0, "FailedEntries": []]
        case "ListTargetsByRule":
            let rule = try rule(try p.string("Rule"))
            return ["Targets": .array(rule.targets.map { ["Id": .string($0.id), "Arn": .string($0.arn)] })]
        default: throw ServiceRegistry.shared.unknownOperation(.events, operation.name)
        }
    }

    func rule(_ name: String) throws(AWSError) -> Rule {
        guard let rule = rules[name] else { throw AWSError("ResourceNotFoundException", "Rule \(name) does not exist.") }
        return rule
    }

    /// A rule fires one interval after it is created or changed, then every interval.
    private func restart(_ rule: Rule) {
        rule.generation += 1
        let generation = rule.generation
        every(rule.interval, startingAt: scheduler.now + rule.interval) { [weak self, weak rule] time in
            guard let self, let rule, rule.generation == generation else { return false }
            guard rule.enabled else { return true }
            for target in rule.targets {
                guard let lambda = self.lambda, let function = try? lambda.function(target.arn) else { continue }
                let event: Document = [
                    "version": "0", "id": .string("\(rule.name)-\(time.micros)"), "detail-type": "Scheduled Event", "source": "aws.events",
                    "account": .string(self.accountID), "time": .double(time.unixSeconds), "region": .string(self.region),
                    "resources": [.string(rule.arn)], "detail": [:],
                ]
                // EventBridge invokes functions asynchronously, with Lambda's retries.
                lambda.invokeAsync(function, event: event)
            }
            return true
        }
    }
}
