import CloudSim
import DocumentModel

/// What a scenario's `expect` asserts: the verdict, the score, step results and messages,
/// and what happened in the world (function logs, table items, metrics).
///
///     expect = {
///       passed = false, score = 300, score_below = 200, error = "text", stopped = "text", detail = "text",
///       steps = { ["step-id"] = { passed = false, status = "failed", message = "text", hint = "name" } },
///       logs = { StateLambda = { contains = "text", lacks = { "a", "b" } } },
///       items = { AggregateTable = { count = 3, at_least = 1, at_most = 9, has = { Identifier = "message_count" } } },
///       metrics = { ReduceLambda = { errors = { at_most = 0 }, invocations = { at_least = 1 } } },
///     }
enum ScenarioExpectations {
    static let fields = ["passed", "score", "score_below", "command_fails", "error", "stopped", "steps", "detail", "logs", "items", "metrics"]
    static let stepFields = ["passed", "status", "message", "hint"]
    static let logFields = ["contains", "lacks"]
    static let itemFields = ["count", "at_least", "at_most", "has"]
    static let boundFields = ["at_least", "at_most"]
    static let metricNames = ["invocations", "errors", "throttles", "timeouts", "max_concurrency", "max_duration_ms", "max_iterator_age_ms"]

    /// The type an expectation's value must have.
    enum Kind: String {
        case boolean = "a boolean", string = "a string", wholeNumber = "a whole number"

        func fits(_ value: Document) -> Bool {
            switch self {
            case .boolean: value.boolValue != nil
            case .string: value.stringValue != nil
            case .wholeNumber: value.intValue != nil
            }
        }
    }

    /// The fields that hold one value, in the order they are checked.
    static let scalarFields: [(String, Kind)] = [
        ("command_fails", .boolean), ("detail", .string), ("error", .string), ("passed", .boolean), ("score", .wholeNumber),
        ("score_below", .wholeNumber), ("stopped", .string),
    ]

    /// Refuses misspelt fields at every level, and steps the lab does not have.
    static func validate(_ expect: [String: Document], lab: Lab, source: LabSource) throws {
        let start = source.line(ofKey: "expect") ?? 1
        try source.refuseUnknown(expect, known: fields, in: "expect", from: start)
        // A value of the wrong type would be read as absent, and its assertion never made.
        for (field, kind) in scalarFields {
            guard let value = expect[field], !kind.fits(value) else { continue }
            throw LabError(file: source.file, line: source.line(ofKey: field, from: start),
                message: "expect.\(field) must be \(kind.rawValue), not a \(value.kindName)")
        }
        // By key throughout, so of two mistakes the same one is reported in every process.
        for (id, want) in (expect["steps"]?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            let ids = lab.steps.map(\.id)
            guard ids.contains(id) else {
                var message = "expect.steps names step '\(id)', which the lab does not have"
                if let near = NearestName.find(id, among: ids) { message += "; did you mean '\(near)'?" }
                throw LabError(file: source.file, line: source.line(of: id, from: start), message: message + " (steps: \(ids.joined(separator: ", ")))")
            }
            try source.refuseUnknown(want.mapValue ?? [:], known: stepFields, in: "expect.steps['\(id)']", from: source.line(of: id, from: start) ?? start)
            if let status = want["status"]?.stringValue, StepStatus(rawValue: status) == nil {
                throw LabError(file: source.file, line: source.line(ofKey: "status", from: start),
                    message: "expect.steps['\(id)'].status '\(status)' is not one of passed, failed, error, not-graded")
            }
        }
        for (field, known) in [("logs", logFields), ("items", itemFields), ("metrics", metricNames)] {
            for (name, want) in (expect[field]?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                let from = source.line(of: name, from: start) ?? start
                try source.refuseUnknown(want.mapValue ?? [:], known: known, in: "expect.\(field).\(name)", from: from)
                guard field == "metrics" else { continue }
                for (metric, bound) in (want.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                    try source.refuseUnknown(bound.mapValue ?? [:], known: boundFields, in: "expect.metrics.\(name).\(metric)", from: from)
                }
            }
        }
    }

    /// Every expectation the result does not meet, as a sentence.
    static func check(_ expect: [String: Document], against result: RunResult) -> [String] {
        var failures: [String] = []
        if let passed = expect["passed"]?.boolValue, passed != result.passed {
            failures.append("expected passed = \(passed), got \(result.passed) (score \(result.score)/\(result.maxScore))")
        }
        if let score = expect["score"]?.intValue, Int(score) != result.score {
            failures.append("expected score \(score), got \(result.score)")
        }
        if let below = expect["score_below"]?.intValue, result.score >= Int(below) {
            failures.append("expected a score below \(below), got \(result.score)")
        }
        if let error = expect["error"]?.stringValue {
            let got = (result.actionError ?? result.scheduledActionError)?.description ?? "no error"
            if !got.contains(error) { failures.append("expected an actions error containing \"\(error)\", got \(got)") }
        }
        switch (expect["stopped"]?.stringValue, result.stop) {
        case (let want?, let stop?):
            if !stop.message.contains(want) { failures.append("expected the run to stop with \"\(want)\", got: \(stop.message)") }
        case (let want?, nil): failures.append("expected the run to stop with \"\(want)\"; it ran its \(result.minutes.count) minutes")
        case (nil, let stop?): failures.append(stop.message)
        case (nil, nil): break
        }
        for (id, want) in (expect["steps"]?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let step = result.steps.first(where: { $0.id == id }) else { continue }
            if let passed = want["passed"]?.boolValue, passed != step.passed {
                failures.append("step '\(id)': expected passed = \(passed), got \(step.passed) (\(step.message))")
            }
            if let status = want["status"]?.stringValue, status != step.status.rawValue {
                failures.append("step '\(id)': expected status \(status), got \(step.status.rawValue) (\(step.message))")
            }
            if let text = want["message"]?.stringValue, !step.message.contains(text) {
                failures.append("step '\(id)': expected a message containing \"\(text)\", got \"\(step.message)\"")
            }
            if let hint = want["hint"]?.stringValue, hint != step.hint {
                failures.append("step '\(id)': expected the check to name hint '\(hint)', got \(step.hint.map { "'\($0)'" } ?? "none")")
            }
        }
        if let detail = expect["detail"]?.stringValue, !result.minutes.contains(where: { $0.detail.contains(detail) }) {
            failures.append("expected a minute whose detail contains \"\(detail)\"; got: " + result.minutes.map { "\($0.minute): \($0.detail)" }.joined(separator: " | "))
        }
        failures += logs(expect["logs"], result)
        failures += items(expect["items"], result)
        failures += metrics(expect["metrics"], result)
        return failures
    }

    private static func texts(_ value: Document?) -> [String] {
        if let one = value?.stringValue { return [one] }
        return (value?.arrayValue ?? []).compactMap(\.stringValue)
    }

    private static func logs(_ value: Document?, _ result: RunResult) -> [String] {
        var failures: [String] = []
        for (function, want) in (value?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            let lines = result.world.account.logs.groups["/aws/lambda/\(function)"] ?? []
            for text in texts(want["contains"]) where !lines.contains(where: { $0.message.contains(text) }) {
                failures.append("expected \(function)'s log to contain \"\(text)\"; it has \(lines.count) lines")
            }
            for text in texts(want["lacks"]) {
                if let line = lines.first(where: { $0.message.contains(text) }) {
                    failures.append("expected \(function)'s log to lack \"\(text)\", but it has: \(line.message.prefix(300))")
                }
            }
        }
        return failures
    }

    private static func items(_ value: Document?, _ result: RunResult) -> [String] {
        var failures: [String] = []
        for (table, want) in (value?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let items = RunContext.items(of: table, in: result.world) else {
                failures.append("expected table \(table), but the account has no such table")
                continue
            }
            if let count = want["count"]?.intValue, items.count != Int(count) {
                failures.append("expected \(table) to hold \(count) items, it holds \(items.count)")
            }
            if let least = want["at_least"]?.intValue, items.count < Int(least) {
                failures.append("expected \(table) to hold at least \(least) items, it holds \(items.count)")
            }
            if let most = want["at_most"]?.intValue, items.count > Int(most) {
                failures.append("expected \(table) to hold at most \(most) items, it holds \(items.count)")
            }
            let wanted = want["has"].map { $0.arrayValue ?? [$0] } ?? []
            for item in wanted where !items.contains(where: { holds($0, item) }) {
                failures.append("expected \(table) to hold an item with \((try? item.jsonText()) ?? "…"); it has none of its \(items.count) items")
            }
        }
        return failures
    }

    /// Whether `item` has every attribute of `wanted` with an equal value (numbers compare as numbers).
    private static func holds(_ item: Document, _ wanted: Document) -> Bool {
        guard let want = wanted.mapValue, let have = item.mapValue else { return false }
        return want.allSatisfy { key, value in
            guard let got = have[key] else { return false }
            if let a = got.doubleValue, let b = value.doubleValue { return a == b }
            return got == value
        }
    }

    private static func metrics(_ value: Document?, _ result: RunResult) -> [String] {
        var failures: [String] = []
        for (function, want) in (value?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            let metrics = RunContext.metrics(of: function, in: result.world)
            for (name, bound) in (want.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                let got = metrics[name]?.doubleValue ?? 0
                if let least = bound["at_least"]?.doubleValue, got < least {
                    failures.append("expected \(function)'s \(name) to be at least \(Self.number(least)), it is \(Self.number(got))")
                }
                if let most = bound["at_most"]?.doubleValue, got > most {
                    failures.append("expected \(function)'s \(name) to be at most \(Self.number(most)), it is \(Self.number(got))")
                }
            }
        }
        return failures
    }

    private static func number(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d) }
}
