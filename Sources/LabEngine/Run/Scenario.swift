import DocumentModel
import Foundation
import LuaBridge

/// A lab's test scenario (`labs/<id>/tests/*.lua`): apply actions (after the reference
/// solution of some steps), run, and assert step results, score and messages.
enum Scenario {
    struct Outcome {
        var description = ""
        /// The variant's name (`variants = { cli = { … } }`), nil for the scenario itself.
        var variant: String?
        var failures: [String] = []
    }

    /// Runs the scenario, then each of its variants: the same expectations reached another
    /// way (`variants = { cli = { actions = {}, exec = { "bash cli/x.sh" } } }` replaces the
    /// scenario's fields it names).
    static func run(_ file: String, lab: Lab, commands: (any CommandHost)?) -> [Outcome] {
        let spec: [String: Document]
        do {
            guard case .map(let m) = try LabScript.evaluate(file: file, moduleRoots: []) else {
                return [Outcome(failures: ["\(file): a scenario returns a table { actions = …, expect = … }"])]
            }
            spec = m
        } catch {
            return [Outcome(failures: ["\(error)"])]
        }
        var outcomes = [run(spec, variant: nil, file: file, lab: lab, commands: commands)]
        for (name, overrides) in (spec["variants"]?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            var variant = spec
            variant["variants"] = nil
            for (key, value) in overrides.mapValue ?? [:] { variant[key] = value }
            outcomes.append(run(variant, variant: name, file: file, lab: lab, commands: commands))
        }
        return outcomes
    }

    private static func run(_ spec: [String: Document], variant: String?, file: String, lab: Lab, commands: (any CommandHost)?) -> Outcome {
        var outcome = Outcome(description: spec["description"]?.stringValue ?? "", variant: variant)
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let files = (spec["actions"]?.arrayValue ?? []).compactMap(\.stringValue).map { folder.appendingPathComponent($0).path }
        let solved = Int(spec["solved_steps"]?.intValue ?? 0)
        // `exec`: commands (AWS CLI or boto3 scripts) run in the scenario's folder after the actions.
        let execs = (spec["exec"]?.arrayValue ?? []).compactMap(\.stringValue)
        let seed = UInt64(spec["seed"]?.intValue ?? 1)
        let minutes = spec["minutes"]?.intValue.map(Int.init)
        let result: RunResult
        do {
            let steps = files.map(LearnerStep.actions) + execs.map { LearnerStep.command($0, directory: folder.path) }
            result = try LabRunner(lab: lab, commands: commands).run(actions: .learner(solvedSteps: solved, steps), seed: seed, minutes: minutes)
        } catch {
            outcome.failures.append("the run failed: \(error)")
            return outcome
        }
        guard let expect = spec["expect"]?.mapValue else {
            outcome.failures.append("\(file): no 'expect' table")
            return outcome
        }
        if let passed = expect["passed"]?.boolValue, passed != result.passed {
            outcome.failures.append("expected passed = \(passed), got \(result.passed) (score \(result.score)/\(result.maxScore))")
        }
        if let score = expect["score"]?.intValue, Int(score) != result.score {
            outcome.failures.append("expected score \(score), got \(result.score)")
        }
        if let below = expect["score_below"]?.intValue, result.score >= Int(below) {
            outcome.failures.append("expected a score below \(below), got \(result.score)")
        }
        for command in result.commands where command.exitStatus != 0 && expect["command_fails"]?.boolValue != true {
            // A scenario's script must itself work: a failing one would test nothing.
            outcome.failures.append("the command '\(command.command)' exited with \(command.exitStatus): \(command.output.suffix(400))")
        }
        if let error = expect["error"]?.stringValue {
            let got = result.actionError?.description ?? "no error"
            if !got.contains(error) { outcome.failures.append("expected an actions error containing \"\(error)\", got \(got)") }
        }
        for (id, want) in expect["steps"]?.mapValue ?? [:] {
            guard let step = result.steps.first(where: { $0.id == id }) else {
                outcome.failures.append("no step '\(id)'")
                continue
            }
            if let passed = want["passed"]?.boolValue, passed != step.passed {
                outcome.failures.append("step '\(id)': expected passed = \(passed), got \(step.passed) (\(step.message))")
            }
            if let text = want["message"]?.stringValue, !step.message.contains(text) {
                outcome.failures.append("step '\(id)': expected a message containing \"\(text)\", got \"\(step.message)\"")
            }
        }
        if let detail = expect["detail"]?.stringValue, !result.minutes.contains(where: { $0.detail.contains(detail) }) {
            outcome.failures.append("expected a minute whose detail contains \"\(detail)\"; got: " + result.minutes.map { "\($0.minute): \($0.detail)" }.joined(separator: " | "))
        }
        return outcome
    }
}
