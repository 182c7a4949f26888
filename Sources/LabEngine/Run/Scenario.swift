import DocumentModel
import Foundation
import LuaBridge

/// A lab's test scenario (`labs/<id>/tests/*.lua`): apply actions (after the reference
/// solution of some steps), run, and assert step results, score, messages and what
/// happened in the world.
enum Scenario {
    struct Outcome: Sendable {
        var description = ""
        /// The variant's name (`variants = { cli = { … } }`), nil for the scenario itself.
        var variant: String?
        var failures: [String] = []
    }

    static let fields = ["description", "actions", "exec", "solved_steps", "seed", "minutes", "expect", "variants"]

    /// Runs the scenario, then each of its variants: the same expectations reached another
    /// way (`variants = { cli = { actions = {}, exec = { "bash cli/x.sh" } } }` replaces the
    /// scenario's fields it names). A scenario without its own `seed` runs under `seed`.
    static func run(_ file: String, lab: Lab, seed: UInt64 = 1, commands: (any CommandHost)?) -> [Outcome] {
        variants(of: file).flatMap { run(file, variant: $0, lab: lab, seed: seed, commands: commands) }
    }

    /// The scenario's runs: nil for the scenario itself, then its variants' names in order.
    /// A file that does not evaluate has only the first, which reports why.
    static func variants(of file: String) -> [String?] {
        guard case .map(let spec)? = try? LabScript.evaluate(file: file, moduleRoots: []) else { return [nil] }
        return [nil] + (spec["variants"]?.mapValue ?? [:]).keys.sorted().map { $0 }
    }

    /// Runs the scenario itself (`variant` nil) or one of its variants, after checking the
    /// whole file: an authoring error is the scenario's only outcome.
    static func run(_ file: String, variant name: String?, lab: Lab, seed: UInt64 = 1, commands: (any CommandHost)?) -> [Outcome] {
        let spec: [String: Document]
        let source = LabSource(file: file)
        do {
            guard case .map(let m) = try LabScript.evaluate(file: file, moduleRoots: []) else {
                return name == nil ? [Outcome(failures: ["\(file): a scenario returns a table { actions = …, expect = … }"])] : []
            }
            spec = m
            try source.refuseUnknown(spec, known: fields, in: "the scenario")
            for (name, overrides) in (spec["variants"]?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                try source.refuseUnknown(
                    overrides.mapValue ?? [:], known: fields.filter { $0 != "variants" }, in: "variant '\(name)'",
                    from: source.line(ofKey: name) ?? 1)
            }
            if let expect = spec["expect"]?.mapValue {
                try ScenarioExpectations.validate(expect, lab: lab, source: source)
            }
        } catch {
            return name == nil ? [Outcome(failures: ["authoring error: \(error)"])] : []
        }
        guard let name else { return [run(spec, variant: nil, file: file, source: source, lab: lab, seed: seed, commands: commands)] }
        var variant = spec
        variant["variants"] = nil
        for (key, value) in spec["variants"]?[name]?.mapValue ?? [:] { variant[key] = value }
        return [run(variant, variant: name, file: file, source: source, lab: lab, seed: seed, commands: commands)]
    }

    private static func run(
        _ spec: [String: Document], variant: String?, file: String, source: LabSource, lab: Lab, seed: UInt64, commands: (any CommandHost)?
    ) -> Outcome {
        var outcome = Outcome(description: spec["description"]?.stringValue ?? "", variant: variant)
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let named = (spec["actions"]?.arrayValue ?? []).compactMap(\.stringValue)
        // A missing file is the author's mistake, whatever the scenario expects.
        for name in named where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
            let error = LabError(file: file, line: source.line(of: "\"\(name)\""), message: "the actions file \(name) does not exist (looked in \(folder.path))")
            outcome.failures.append("authoring error: \(error)")
        }
        let solved = Int(spec["solved_steps"]?.intValue ?? 0)
        if !(0...lab.steps.count).contains(solved) {
            let error = LabError(file: file, line: source.line(ofKey: "solved_steps"), message: "solved_steps is \(solved), but the lab has \(lab.steps.count) steps")
            outcome.failures.append("authoring error: \(error)")
        }
        guard outcome.failures.isEmpty else { return outcome }
        guard let expect = spec["expect"]?.mapValue else {
            outcome.failures.append("authoring error: \(file): no 'expect' table")
            return outcome
        }
        // `exec`: commands (AWS CLI or boto3 scripts) run in the scenario's folder after the actions.
        let execs = (spec["exec"]?.arrayValue ?? []).compactMap(\.stringValue)
        let seed = spec["seed"]?.intValue.map { UInt64(bitPattern: $0) } ?? seed
        let minutes = spec["minutes"]?.intValue.map(Int.init)
        let result: RunResult
        do {
            let steps = named.map { LearnerStep.actions(folder.appendingPathComponent($0).path) }
                + execs.map { LearnerStep.command($0, directory: folder.path) }
            result = try LabRunner(lab: lab, commands: commands).run(actions: .learner(solvedSteps: solved, steps), seed: seed, minutes: minutes)
        } catch {
            outcome.failures.append("the run failed: \(error)")
            return outcome
        }
        // A broken check fails every scenario that runs it, whatever the scenario expects of it.
        for step in result.steps where step.status == .error {
            outcome.failures.append("step '\(step.id)': the check is broken: \(step.message)")
        }
        for command in result.commands where command.exitStatus != 0 && expect["command_fails"]?.boolValue != true {
            // A scenario's script must itself work: a failing one would test nothing.
            outcome.failures.append("the command '\(command.command)' exited with \(command.exitStatus): \(command.output.suffix(400))")
        }
        outcome.failures += ScenarioExpectations.check(expect, against: result)
        return outcome
    }
}
