import CloudSim
import DocumentModel

/// What one function did in a run, for a learner whose function failed: the counts, the
/// most frequent error and the log line that shows it.
public struct FunctionSummary: Equatable, Sendable {
    public let name: String
    public let invocations: Int
    public let errors: Int
    public let throttles: Int
    public let timeouts: Int
    /// An error type and how many invocations failed with it.
    public struct ErrorCount: Equatable, Sendable {
        public let type: String
        public let count: Int
    }

    /// The most frequent error type and how often it happened.
    public let topError: ErrorCount?
    /// The first `[ERROR]` log line of that type, with the file and line that raised it.
    public let example: String?
    /// Failed invocations per error type.
    public let errorTypes: [String: Int]

    /// Every function of the account, by name.
    static func all(_ logs: Logs) -> [FunctionSummary] {
        logs.metrics.keys.sorted().compactMap { name in
            guard let m = logs.metrics[name] else { return nil }
            // The most frequent type; ties go to the name that sorts first, so reports are stable.
            let top = m.errorTypes.max { ($0.value, $1.key) < ($1.value, $0.key) }
            return FunctionSummary(
                name: name, invocations: m.invocations, errors: m.errors, throttles: m.throttles, timeouts: m.timeouts,
                topError: top.map { ErrorCount(type: $0.key, count: $0.value) }, example: top.flatMap { m.errorExamples[$0.key] }, errorTypes: m.errorTypes)
        }
    }

    /// The functions of a run that failed, were throttled or timed out.
    public static func troubled(in result: RunResult) -> [FunctionSummary] { troubled(result.world.account.logs) }

    /// The functions that failed, were throttled or timed out.
    static func troubled(_ logs: Logs) -> [FunctionSummary] {
        all(logs).filter { $0.errors > 0 || $0.throttles > 0 || $0.timeouts > 0 }
    }

    /// The summary as checks (`ctx.functions()`) and JSON reports see it.
    var document: Document {
        var d: [String: Document] = [
            "name": .string(name), "invocations": .int(Int64(invocations)), "errors": .int(Int64(errors)),
            "throttles": .int(Int64(throttles)), "timeouts": .int(Int64(timeouts)),
        ]
        if let topError {
            d["topError"] = ["type": .string(topError.type), "count": .int(Int64(topError.count))]
        }
        if let example { d["example"] = .string(example) }
        if !errorTypes.isEmpty { d["errorTypes"] = .map(errorTypes.mapValues { .int(Int64($0)) }) }
        return .map(d)
    }

    /// Lines for people: the counts, then the most frequent error and its log line.
    public var lines: [String] {
        var out = ["\(name): \(invocations) invocations, \(errors) errors, \(throttles) throttles, \(timeouts) timeouts"]
        if let topError {
            out.append("  most frequent error: \(topError.type) (\(topError.count) of \(errors) failed invocations)")
        }
        if let example { out.append("  log: \(example.count > 400 ? String(example.prefix(400)) + "…" : example)") }
        return out
    }
}
