import CloudSim
import DocumentModel
import Foundation
import LuaBridge

/// One step's verdict.
public struct StepResult: Equatable, Sendable {
    public let id: String
    public let title: String
    public let passed: Bool
    public let message: String
}

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
    /// The first failing step's hints.
    public let hints: [String]
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

    public init(lab: Lab, commands: (any CommandHost)? = nil) {
        self.lab = lab
        self.commands = commands
    }

    /// Runs the lab.
    /// - Parameters:
    ///   - minutes: run length in virtual minutes (default: the lab's).
    ///   - progress: called after each virtual second with the time since the run started,
    ///     the score and the world.
    /// - Throws: ``LabError`` when the lab's own scripts fail (the author's problem); a
    ///   learner's failing script is reported in the result instead.
    public func run(
        actions: Actions, seed: UInt64, minutes: Int? = nil, progress: ((VirtualTime, Int, World) -> Void)? = nil
    ) throws -> RunResult {
        let minutes = minutes ?? lab.minutes
        let world = World(seed: seed, region: lab.region, accountID: lab.accountID)
        let context = RunContext(lab: lab, world: world, seed: seed)
        context.maxScore = try lab.maxScore(minutes: minutes)

        for ancestor in lab.chain {
            try build(ancestor, in: context)
            if ancestor !== lab {
                for step in ancestor.steps { try solve(step, of: ancestor, in: context) }
            }
        }
        // The learner arrives at a world that has been running: its schedules have fired
        // on their own clock, not at the learner's first second.
        world.account.run(until: world.account.scheduler.now + .seconds(Double(lab.worldAge)))
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

        let faults = LabFaults(specs: lab.chain.flatMap(\.failures), seed: seed) { [weak context] in context?.phase }
        world.account.lambda.faults = faults
        if actionError == nil {
            if let rule = lab.scoringRule {
                _ = try lab.state.call(rule, [lab.state.runObject, lab.scoringParams], during: context, what: "scoring rule")
            }
            let start = world.account.scheduler.now
            let end = start + .minutes(Double(minutes))
            var next = start + .seconds(1)
            while next <= end {
                world.account.run(until: next)
                progress?(.zero + (next - start), context.score, world)
                if let error = context.scriptErrors.first { throw error }
                next = next + .seconds(1)
            }
        }

        let steps = try evaluate(context)
        let allPassed = steps.allSatisfy(\.passed)
        var passed = actionError == nil && allPassed && context.score >= context.maxScore
        if let rule = lab.passing, actionError == nil {
            let summary: Document = [
                "score": .int(Int64(context.score)), "max_score": .int(Int64(context.maxScore)), "steps_passed": .bool(allPassed),
                "minutes": .array(context.minutes.map { ["minute": .int(Int64($0.minute)), "points": .int(Int64($0.points)), "exact": .bool($0.exact)] }),
                "run_minutes": .int(Int64(minutes)),
            ]
            passed = try lab.state.call(rule, [summary], during: context, what: "passing").first?.boolValue ?? false
        }
        let firstFailing = lab.steps.first { step in steps.contains { $0.id == step.id && !$0.passed } }
        return RunResult(
            lab: lab.id, title: lab.title, seed: seed, passed: passed, score: context.score, maxScore: context.maxScore, steps: steps,
            minutes: context.minutes, actionError: actionError, hints: firstFailing?.hints ?? [], world: world,
            commands: outcomes)
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

    /// Runs every step's check on a read-only world.
    private func evaluate(_ context: RunContext) throws -> [StepResult] {
        context.world.readOnly = true
        defer { context.world.readOnly = false }
        return lab.steps.map { step in
            do {
                let results = try lab.state.call(step.check, [lab.state.checkContext], during: context, what: "check of step '\(step.id)'")
                let passed = results.first?.boolValue ?? false
                var message = results.count > 1 ? results[1].stringValue ?? "" : ""
                if message.isEmpty { message = passed ? "done" : "not done yet" }
                return StepResult(id: step.id, title: step.title, passed: passed, message: message)
            } catch {
                return StepResult(id: step.id, title: step.title, passed: false, message: "the check could not run: \(error)")
            }
        }
    }
}
