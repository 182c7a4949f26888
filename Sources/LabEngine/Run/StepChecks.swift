import CloudSim
import DocumentModel
import LuaBridge

/// Runs a lab's step checks: while virtual time passes (to learn when each step first
/// passed and to start the next step's setup) and at the end (the verdict).
final class StepChecks {
    /// Instructions one check may run. A check reads the world; one that needs more is broken.
    static let instructionBudget = 50_000_000

    let lab: Lab
    let context: RunContext
    private let runSetup: (Step) throws -> Void
    /// Virtual seconds after the start when each step's check first passed.
    private(set) var firstPassed: [String: Double] = [:]
    /// Steps whose check broke during the run: it is not run again until the end.
    private var broken: Set<String> = []
    /// Each step's latest result from the checks during the run (a live session's checklist).
    private(set) var latest: [String: StepResult] = [:]
    private var setupsRun: Set<String> = []

    init(lab: Lab, context: RunContext, runSetup: @escaping (Step) throws -> Void) {
        self.lab = lab
        self.context = context
        self.runSetup = runSetup
    }

    /// Runs the first step's setup: the learner arrives at it.
    func start() throws {
        if let first = lab.steps.first { try setUp(first) }
    }

    /// Checks the steps that have not passed yet; a step that passes for the first time
    /// starts the next step's setup.
    func progress(at seconds: Double) throws {
        for (index, step) in lab.steps.enumerated() where firstPassed[step.id] == nil && !broken.contains(step.id) {
            let result = check(step)
            latest[step.id] = result
            switch result.status {
            case .passed:
                firstPassed[step.id] = seconds
                if index + 1 < lab.steps.count { try setUp(lab.steps[index + 1]) }
            case .error: broken.insert(step.id)
            case .failed, .notGraded: break
            }
        }
    }

    /// The verdict of every step at the end of the run.
    func verdict(at seconds: Double) -> [StepResult] {
        lab.steps.map { step in
            let result = check(step)
            let first = firstPassed[step.id] ?? (result.passed ? seconds : nil)
            return result.firstPassed(at: first)
        }
    }

    private func setUp(_ step: Step) throws {
        guard step.setup != nil, setupsRun.insert(step.id).inserted else { return }
        try runSetup(step)
    }

    /// Runs one check on a read-only world. A check that ran out of its budget once is not
    /// run again in this lab's state: an endless loop costs its budget once.
    func check(_ step: Step) -> StepResult {
        let state = lab.state
        if let spent = state.spentChecks[step.id] {
            return StepResult(id: step.id, title: step.title, status: .error, message: spent)
        }
        let world = context.world
        world.readOnly = true
        let savedLimit = state.lua.instructionLimit
        state.lua.instructionLimit = Self.instructionBudget
        defer {
            world.readOnly = false
            state.lua.instructionLimit = savedLimit
        }
        let results: [Document]
        do {
            results = try state.call(step.check, [state.checkContext], during: context, what: "check of step '\(step.id)'")
        } catch {
            let message = "the check raised an error: \(error)"
            if state.lua.instructionLimitHit || state.lua.memoryLimitHit { state.spentChecks[step.id] = message }
            return StepResult(id: step.id, title: step.title, status: .error, message: message)
        }
        guard case .bool(let passed)? = results.first else {
            let got = results.first.map { "a \($0.kindName)" } ?? "nothing"
            return StepResult(
                id: step.id, title: step.title, status: .error,
                message: "the check returned \(got), not true or false (return passed, message[, hint])\(location(of: step))")
        }
        var message = results.count > 1 ? results[1].stringValue ?? "" : ""
        if message.isEmpty { message = passed ? "done" : "not done yet" }
        var hint: String?
        if results.count > 2, !passed, results[2] != .null {
            guard let name = results[2].stringValue, step.hint(named: name) != nil else {
                let names = step.hints.map(\.name)
                return StepResult(
                    id: step.id, title: step.title, status: .error,
                    message: "the check named hint \(results[2].stringValue.map { "'\($0)'" } ?? "a \(results[2].kindName)"), but the step's hints are \(names.isEmpty ? "none" : names.joined(separator: ", "))\(location(of: step))")
            }
            hint = name
        }
        return StepResult(id: step.id, title: step.title, status: passed ? .passed : .failed, message: message, hint: hint)
    }

    /// ` (file:line)` of the check function.
    private func location(of step: Step) -> String {
        guard let place = (step.check as? LuaFunction)?.definedAt else { return "" }
        return " (\(place.file):\(place.line))"
    }
}
