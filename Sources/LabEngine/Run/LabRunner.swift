import CloudSim
import DocumentModel
import Foundation
import LuaBridge

/// Everything a run produced: the report's facts.
public struct RunResult {
    public let lab: String
    public let title: String
    public let seed: UInt64
    public let passed: Bool
    public let score: Int
    public let maxScore: Int
    public let steps: [StepResult]
    public let minutes: [MinuteResult]
    /// A learner's script that failed (file, line and message), when one did.
    public let actionError: LabError?
    /// The hint that fits the first step not done: the one its check named, else its default.
    public let hint: Hint?
    /// The world after the run, for artifacts.
    public let world: World
    /// The learner's commands (`--exec`), in the order they ran.
    public let commands: [CommandOutcome]
}

/// What the learner's side of a run is.
public enum Actions {
    /// The lab's reference solution (every step's `solve`).
    case solution
    /// Actions files, applied in order.
    case files([String])
    /// Nothing (the lab as it starts).
    case none
    /// The reference solutions of the first `n` steps (the self-test's partial worlds).
    case firstSteps(Int)
    /// The reference solutions of the first `n` steps, then actions files (scenarios).
    case stepsThenFiles(Int, [String])
    /// The reference solutions of the first `n` steps, then actions files and commands in order.
    case learner(solvedSteps: Int, [LearnerStep])
}

/// Builds a lab's world, applies actions, runs virtual time with the scoring rule and
/// failure modes, and evaluates the steps.
public struct LabRunner {
    public let lab: Lab
    /// Runs learners' commands; without one, a run with commands reports that it cannot.
    public let commands: (any CommandHost)?

    /// Receives each line an actions file prints, prefixed with its file and line.
    public let printed: ((String) -> Void)?

    public init(lab: Lab, commands: (any CommandHost)? = nil, printed: ((String) -> Void)? = nil) {
        self.lab = lab
        self.commands = commands
        self.printed = printed
    }

    /// Runs the lab.
    /// - Parameters:
    ///   - minutes: run length in virtual minutes (default: the lab's).
    ///   - seconds: run length in virtual seconds instead (`inspect --at`), when given.
    ///   - progress: called after each virtual second with the time since the run started,
    ///     the score and the world.
    /// - Throws: ``LabError`` when the lab's own scripts fail (the author's problem); a
    ///   learner's failing script is reported in the result instead.
    public func run(
        actions: Actions, seed: UInt64, minutes: Int? = nil, seconds: Int? = nil, progress: ((VirtualTime, Int, World) -> Void)? = nil
    ) throws -> RunResult {
        let minutes = minutes ?? lab.minutes
        let world = World(seed: seed, region: lab.region, accountID: lab.accountID, printed: printed)
        let context = RunContext(lab: lab, world: world, seed: seed)
        context.maxScore = try lab.maxScore(minutes: minutes)

        for ancestor in lab.chain {
            try build(ancestor, in: context)
            if ancestor !== lab {
                for step in ancestor.steps {
                    try setUp(step, of: ancestor, in: context)
                    try solve(step, of: ancestor, in: context)
                }
            }
        }
        try checkRates(in: world)
        // The learner arrives at a world that has been running: its schedules have fired
        // on their own clock, not at the learner's first second.
        world.account.run(until: world.account.scheduler.now + .seconds(Double(lab.worldAge)))
        let checks = StepChecks(lab: lab, context: context) { [self] step in try setUp(step, of: lab, in: context) }
        try checks.start()
        var actionError: LabError?
        var outcomes: [CommandOutcome] = []
        switch actions {
        case .solution:
            for step in lab.steps { try solve(step, of: lab, in: context) }
        case .firstSteps(let n):
            for step in lab.steps.prefix(n) { try solve(step, of: lab, in: context) }
        case .files(let files):
            actionError = apply(files, to: world)
        case .stepsThenFiles(let n, let files):
            for step in lab.steps.prefix(n) { try solve(step, of: lab, in: context) }
            actionError = apply(files, to: world)
        case .learner(let n, let steps):
            for step in lab.steps.prefix(n) { try solve(step, of: lab, in: context) }
            for step in steps where actionError == nil {
                switch step {
                case .actions(let file): actionError = apply([file], to: world)
                case .command(let command, let directory):
                    guard let commands else {
                        actionError = LabError(file: nil, message: "this run cannot execute commands (\(command)): use labengine run/grade --exec")
                        continue
                    }
                    do {
                        outcomes.append(try commands.run(command, in: directory, on: world))
                    } catch {
                        actionError = LabError(file: nil, message: "the command '\(command)' could not run: \(error)")
                    }
                }
            }
        case .none: break
        }

        if let actionError {
            // Time never started, so no check would say anything true about the learner's work.
            let steps = lab.steps.map {
                StepResult(id: $0.id, title: $0.title, status: .notGraded, message: "not graded: your actions stopped with an error before virtual time ran")
            }
            return RunResult(
                lab: lab.id, title: lab.title, seed: seed, passed: false, score: context.score, maxScore: context.maxScore, steps: steps,
                minutes: [], actionError: actionError, hint: nil, world: world, commands: outcomes)
        }

        let faults = LabFaults(specs: lab.chain.flatMap(\.failures), seed: seed) { [weak context] in context?.phase }
        world.account.lambda.faults = faults
        context.faults = faults
        if let rule = lab.scoringRule {
            _ = try lab.state.call(rule, [lab.state.runObject, lab.scoringParams], during: context, what: "scoring rule")
        }
        let start = world.account.scheduler.now
        let length = seconds ?? minutes * 60
        let end = start + .seconds(Double(length))
        var second = 1
        while start + .seconds(Double(second)) <= end {
            world.account.run(until: start + .seconds(Double(second)))
            progress?(.zero + .seconds(Double(second)), context.score, world)
            if let error = context.scriptErrors.first { throw error }
            if second % lab.checkEvery == 0 { try checks.progress(at: Double(second)) }
            second += 1
        }

        let steps = checks.verdict(at: Double(length))
        let allPassed = steps.allSatisfy(\.passed)
        var passed = allPassed && context.score >= context.maxScore
        if let rule = lab.passing {
            let summary: Document = [
                "score": .int(Int64(context.score)), "max_score": .int(Int64(context.maxScore)), "steps_passed": .bool(allPassed),
                "minutes": .array(context.minutes.map { ["minute": .int(Int64($0.minute)), "points": .int(Int64($0.points)), "exact": .bool($0.exact)] }),
                "run_minutes": .int(Int64(minutes)),
            ]
            passed = try lab.state.call(rule, [summary], during: context, what: "passing").first?.boolValue ?? false
        }
        // The first step that is not done, and the hint its check named (or its default).
        let firstOpen = steps.firstIndex { !$0.passed }
        let hint = firstOpen.flatMap { index in lab.steps[index].hint(named: steps[index].hint) }
        return RunResult(
            lab: lab.id, title: lab.title, seed: seed, passed: passed, score: context.score, maxScore: context.maxScore, steps: steps,
            minutes: context.minutes, actionError: nil, hint: hint, world: world, commands: outcomes)
    }

    /// A failure entry's rates must name functions the world has: a misspelt name would
    /// quietly inject nothing.
    private func checkRates(in world: World) throws {
        let names = Array(world.account.lambda.functions.keys)
        for spec in lab.chain.flatMap(\.failures) {
            for name in spec.rates.keys.sorted() where world.account.lambda.functions[name] == nil {
                var message = "failure '\(spec.mode)': 'rates' names \(name), but the world has no such function"
                if let near = NearestName.find(name, among: names) { message += "; did you mean '\(near)'?" }
                message += " (functions: \(names.sorted().joined(separator: ", ")))"
                throw LabError(file: spec.file, line: spec.rateLines[name], message: message)
            }
        }
    }

    /// Runs learners' files; their first error is the run's (a grade failure, not a crash).
    private func apply(_ files: [String], to world: World) -> LabError? {
        for file in files {
            let folder = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL.path
            if !world.moduleRoots.contains(folder) { world.moduleRoots.append(folder) }
        }
        do {
            for file in files { try world.runActions(file: file) }
        } catch let error as LabError {
            return error
        } catch {
            return LabError(file: files.first, message: "\(error)")
        }
        return nil
    }

    private func build(_ lab: Lab, in context: RunContext) throws {
        guard let world = lab.world else { return }
        let info: Document = [
            "id": .string(lab.id), "region": .string(lab.region), "account": .string(lab.accountID),
            "seed": .int(Int64(bitPattern: context.seed)),
            "functions": .map(lab.functions.mapValues { .string($0) }),
        ]
        try inDirectory(lab.directory, context) {
            _ = try lab.state.call(world, [lab.state.awsClient, info], during: context, what: "world")
        }
    }

    private func setUp(_ step: Step, of lab: Lab, in context: RunContext) throws {
        guard let setup = step.setup else { return }
        try inDirectory(lab.directory, context) {
            _ = try lab.state.call(setup, [lab.state.awsClient], during: context, what: "setup of step '\(step.id)'")
        }
    }

    private func solve(_ step: Step, of lab: Lab, in context: RunContext) throws {
        guard let solve = step.solve else {
            throw LabError(file: lab.file, message: "step '\(step.id)' has no solve function, so the reference solution cannot be applied")
        }
        try inDirectory(lab.directory, context) {
            _ = try lab.state.call(solve, [lab.state.awsClient], during: context, what: "solve of step '\(step.id)'")
        }
    }

    private func inDirectory(_ directory: String, _ context: RunContext, _ body: () throws -> Void) throws {
        let saved = context.world.baseDirectory
        context.world.baseDirectory = directory
        defer { context.world.baseDirectory = saved }
        try body()
    }

}
