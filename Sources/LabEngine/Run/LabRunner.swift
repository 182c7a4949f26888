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
    /// The first failure of an action the learner scheduled with `at(seconds, fn)`: time
    /// ran, the steps were graded, and the actions scheduled after it were cancelled.
    public let scheduledActionError: LabError?
    /// Why the run ended before its length (its functions used more CPU than the lab allows).
    public let stop: RunStop?
    /// The hint that fits the first step not done: the one its check named, else its default.
    public let hint: Hint?
    /// The world after the run, for artifacts.
    public let world: World
    /// The learner's commands (`--exec`), in the order they ran.
    public let commands: [CommandOutcome]
}

/// What the learner's side of a run is.
public enum Actions: Sendable {
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
        let session = try LabSession(lab: lab, seed: seed, minutes: minutes, seconds: seconds, printed: printed)
        let world = session.world
        var actionError: LabError?
        var outcomes: [CommandOutcome] = []
        switch actions {
        case .solution:
            try session.solve()
        case .firstSteps(let n):
            try session.solve(steps: n)
        case .files(let files):
            actionError = apply(files, to: world)
        case .stepsThenFiles(let n, let files):
            try session.solve(steps: n)
            actionError = apply(files, to: world)
        case .learner(let n, let steps):
            try session.solve(steps: n)
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
        if let actionError { return session.notGraded(actionError, commands: outcomes) }

        try session.begin()
        while !session.isOver {
            try session.tick()
            progress?(.zero + .seconds(Double(session.elapsed)), session.score, world)
        }
        return try session.result(commands: outcomes)
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
}
