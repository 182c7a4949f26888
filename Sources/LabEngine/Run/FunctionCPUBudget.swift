import CloudSim

/// Why a run ended before its length, and when.
public struct RunStop: Sendable, Equatable {
    /// Whole virtual seconds since time started.
    public let at: Int
    public let message: String
}

/// The grader's limit on function code: a run stops once all functions together have used
/// more virtual CPU time than the lab allows per virtual minute (`function_cpu_per_minute`),
/// the first minute's allowance available from the start.
///
/// AWS would go on running such code, and billing it: a stream batch whose handler runs out
/// of memory is retried until its records expire. Each attempt costs the engine what it costs
/// AWS (a 256 MB handler that doubles a string copies 256 MB), so an hour of it would take an
/// hour. A grader stops it instead, as Exercism's test runner stops tests that time out, and
/// says why; counting virtual CPU time rather than wall time keeps the stop deterministic.
struct FunctionCPUBudget {
    /// About a hundred times what lab 1's and lab 2's reference solutions use (0.09 s a minute).
    static let defaultSecondsPerMinute = 10

    let secondsPerMinute: Int
    /// The CPU time functions had used when time started: building the world is not the learner's.
    let base: VirtualDuration

    /// Whether `used` CPU time, `elapsed` seconds after time started, is more than allowed.
    static func exceeded(used: VirtualDuration, secondsPerMinute: Int, elapsed: Int) -> Bool {
        // Compared in microseconds × 60: used > perMinute × max(elapsed, 60) / 60, exactly.
        used.micros * 60 > Int64(secondsPerMinute) * 1_000_000 * Int64(max(elapsed, 60))
    }

    /// The stop, when the functions of `lambda` have used more than allowed by `elapsed`.
    func stop(_ lambda: Lambda, elapsed: Int) -> RunStop? {
        let used = VirtualDuration(micros: lambda.cpuTime.micros - base.micros)
        guard Self.exceeded(used: used, secondsPerMinute: secondsPerMinute, elapsed: elapsed) else { return nil }
        var message = "the run stopped at \(elapsed) s: function code used \(Self.text(used)) of virtual CPU time, more than this lab allows "
            + "(\(secondsPerMinute) s a virtual minute for all functions together)"
        // The function that used the most, by name on a tie, so the message is the same every time.
        let functions = lambda.functions.values.map { (name: $0.name, cpu: lambda.cpuTime(of: $0)) }
        if let top = functions.max(by: { ($0.cpu, $1.name) < ($1.cpu, $0.name) }), top.cpu > .zero {
            message += "; \(top.name) used \(Self.text(top.cpu)) of it"
        }
        message += ". AWS would keep running it; labengine stops so that a grade ends in seconds. See the functions' errors."
        return RunStop(at: elapsed, message: message)
    }

    /// Seconds to the hundredth, rounded up, so a use just over the budget reads as more than it.
    private static func text(_ duration: VirtualDuration) -> String {
        let hundredths = (duration.micros + 9_999) / 10_000
        return "\(hundredths / 100).\(String(hundredths % 100 + 100).dropFirst()) s"
    }
}
