import CloudSim
import DocumentModel
import Foundation

/// A run's result in the shapes CI systems read: JSON (labengine's own), JUnit XML,
/// Exercism's results.json and plain text.
public struct GradeReport: Sendable {
    /// What a report shows of a run: everything but the world, so a kept report does not
    /// keep a whole simulated account alive (`grade --seeds`).
    struct Run: Sendable {
        let lab: String
        let title: String
        let seed: UInt64
        let passed: Bool
        let score: Int
        let maxScore: Int
        let steps: [StepResult]
        let minutes: [MinuteResult]
        let actionError: LabError?
        let scheduledActionError: LabError?
        let stop: RunStop?
        let incidents: [Incident]
        let commands: [CommandOutcome]
        /// Functions that failed, were throttled or timed out.
        let functions: [FunctionSummary]
    }

    let result: Run
    /// Results under other seeds when several were graded (`--seeds`).
    public var seeds: [(seed: UInt64, passed: Bool, score: Int)] = []

    public init(result: RunResult) {
        self.result = Run(
            lab: result.lab, title: result.title, seed: result.seed, passed: result.passed, score: result.score,
            maxScore: result.maxScore, steps: result.steps, minutes: result.minutes, actionError: result.actionError,
            scheduledActionError: result.scheduledActionError, stop: result.stop,
            incidents: result.world.account.logs.incidents, commands: result.commands,
            functions: FunctionSummary.troubled(result.world.account.logs))
    }

    /// The report as a document (the JSON format's content).
    public var document: Document {
        var d: [String: Document] = [
            "lab": .string(result.lab), "title": .string(result.title), "seed": .int(Int64(bitPattern: result.seed)),
            "passed": .bool(result.passed), "score": .int(Int64(result.score)), "maxScore": .int(Int64(result.maxScore)),
            "steps": .array(result.steps.map { step in
                var s: [String: Document] = [
                    "id": .string(step.id), "title": .string(step.title), "passed": .bool(step.passed), "status": .string(step.status.rawValue),
                    "message": .string(step.message),
                ]
                if let at = step.passedAt { s["passedAt"] = .double(at) }
                if let hint = step.hint { s["hint"] = .string(hint) }
                return .map(s)
            }),
            "minutes": .array(result.minutes.map {
                ["minute": .int(Int64($0.minute)), "points": .int(Int64($0.points)), "score": .int(Int64($0.score)), "exact": .bool($0.exact), "detail": .string($0.detail)]
            }),
        ]
        func place(_ error: LabError) -> Document {
            var e: [String: Document] = ["message": .string(error.message)]
            if let file = error.file { e["file"] = .string(file) }
            if let line = error.line { e["line"] = .int(Int64(line)) }
            return .map(e)
        }
        if let error = result.actionError { d["error"] = place(error) }
        if let error = result.scheduledActionError { d["scheduledError"] = place(error) }
        if let stop = result.stop { d["stopped"] = ["at": .int(Int64(stop.at)), "message": .string(stop.message)] }
        if !result.commands.isEmpty {
            // The command's output is in the artifacts: it holds request IDs and wall times.
            d["commands"] = .array(result.commands.map {
                [
                    "command": .string($0.command), "exitStatus": .int(Int64($0.exitStatus)), "timedOut": .bool($0.timedOut),
                    "requests": .int(Int64($0.requests)),
                ]
            })
        }
        if !result.functions.isEmpty { d["functions"] = .array(result.functions.map(\.document)) }
        let incidents = result.incidents
        if !incidents.isEmpty {
            d["incidents"] = .array(incidents.map {
                ["function": .string($0.function), "time": .double($0.time.seconds), "kind": .string($0.kind), "message": .string($0.message)]
            })
        }
        if !seeds.isEmpty {
            d["seeds"] = .array(seeds.map { ["seed": .int(Int64(bitPattern: $0.seed)), "passed": .bool($0.passed), "score": .int(Int64($0.score))] })
            if let failing = seeds.filter({ !$0.passed }).map(\.seed).min() { d["smallestFailingSeed"] = .int(Int64(bitPattern: failing)) }
        }
        return .map(d)
    }

    /// Indented JSON with sorted keys: byte-identical for the same inputs and seed.
    public func json() -> String { ((try? document.prettyJSONText()) ?? "{}") + "\n" }

    /// JUnit XML: one test case per step, in one suite named after the lab.
    public func junit() -> String {
        let failures = result.steps.filter { $0.status == .failed }.count
        let errors = result.steps.filter { $0.status == .error }.count + (result.actionError == nil ? 0 : 1)
        let skipped = result.steps.filter { $0.status == .notGraded }.count
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="labengine" tests="\#(result.steps.count)" failures="\#(failures)" errors="\#(errors)">"# + "\n"
        xml += #"  <testsuite name="\#(Self.escape(result.lab))" tests="\#(result.steps.count)" failures="\#(failures)" errors="\#(errors)" skipped="\#(skipped)">"# + "\n"
        xml += #"    <properties><property name="seed" value="\#(result.seed)"/><property name="score" value="\#(result.score)"/><property name="maxScore" value="\#(result.maxScore)"/></properties>"# + "\n"
        for step in result.steps {
            xml += #"    <testcase classname="\#(Self.escape(result.lab))" name="\#(Self.escape(step.id))" time="0">"#
            switch step.status {
            case .passed: break
            case .failed:
                xml += #"<failure message="\#(Self.escape(step.message))">\#(Self.escape(step.title)): \#(Self.escape(step.message))</failure>"#
            case .error:
                xml += #"<error message="\#(Self.escape(step.message))">\#(Self.escape(step.title)): \#(Self.escape(step.message))</error>"#
            case .notGraded:
                xml += #"<skipped message="\#(Self.escape(step.message))"/>"#
            }
            xml += "</testcase>\n"
        }
        // Kept out of the test cases: there is exactly one per step.
        if let error = result.actionError { xml += "    <system-err>\(Self.escape(error.description))</system-err>\n" }
        if let stop = result.stop { xml += "    <system-err>\(Self.escape(stop.message))</system-err>\n" }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// Exercism's test-runner results.json, version 3: one test per step, task_id = step number.
    public func exercism() -> String {
        var d: [String: Document] = ["version": 3]
        if let error = result.actionError {
            d["status"] = "error"
            d["message"] = .string(error.description)
        } else if let stop = result.stop {
            // Exercism reports a test run that timed out as an error; a stopped run is one.
            d["status"] = "error"
            d["message"] = .string(stop.message)
        } else if let broken = result.steps.first(where: { $0.status == .error }) {
            d["status"] = "error"
            d["message"] = .string("the check of step '\(broken.id)' is broken: \(broken.message)")
        } else {
            d["status"] = result.passed ? "pass" : "fail"
        }
        d["tests"] = .array(result.steps.enumerated().map { index, step in
            var t: [String: Document] = [
                "name": .string(step.title), "status": .string(Self.exercismStatus(step.status)), "task_id": .int(Int64(index + 1)),
                "test_code": .string("check of step \(step.id)"),
            ]
            if !step.passed { t["message"] = .string(step.message) }
            return .map(t)
        })
        return ((try? Document.map(d).prettyJSONText()) ?? "{}") + "\n"
    }

    static func exercismStatus(_ status: StepStatus) -> String {
        switch status {
        case .passed: return "pass"
        case .failed: return "fail"
        case .error, .notGraded: return "error"
        }
    }

    /// `[x]` passed, `[ ]` not done, `[!]` the check broke, `[-]` not graded.
    public static func mark(_ status: StepStatus) -> String {
        switch status {
        case .passed: return "[x]"
        case .failed: return "[ ]"
        case .error: return "[!]"
        case .notGraded: return "[-]"
        }
    }

    /// Plain text for people and logs.
    public func text() -> String {
        var out = "\(result.lab): \(result.title)\n"
        out += "seed \(result.seed): score \(result.score)/\(result.maxScore): \(result.passed ? "PASSED" : "NOT PASSED")\n"
        if let error = result.actionError { out += "error: \(error.description)\n" }
        if let error = result.scheduledActionError { out += "error in a scheduled action: \(error.description)\n" }
        if let stop = result.stop { out += "stopped: \(stop.message)\n" }
        for command in result.commands {
            out += "command: \(command.command): \(command.timedOut ? "timed out" : "exit status \(command.exitStatus)"), \(command.requests) requests\n"
        }
        if !result.minutes.isEmpty {
            out += "\nminutes:\n"
            for m in result.minutes {
                out += "  \(m.minute)\t+\(m.points)\t\(m.score)\t\(m.exact ? "exact" : m.detail)\n"
            }
        }
        for incident in result.incidents.prefix(5) {
            out += "\(incident.function) hit its \(incident.kind) at \(incident.time): \(incident.message)\n"
        }
        if !result.functions.isEmpty {
            out += "\nfunctions:\n"
            for function in result.functions { out += function.lines.map { "  \($0)\n" }.joined() }
        }
        out += "\nsteps:\n"
        for step in result.steps {
            out += "  \(Self.mark(step.status)) \(step.id): \(step.message)\(step.passedAt.map { " (first passed at \(Int($0)) s)" } ?? "")\n"
        }
        if !seeds.isEmpty {
            out += "\nseeds: " + seeds.map { "\($0.seed) \($0.passed ? "pass" : "fail")" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    static func escape(_ s: String) -> String { XMLText.escape(s) }
}
