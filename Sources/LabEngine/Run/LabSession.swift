import CloudSim
import DocumentModel
import Foundation
import LuaBridge

/// One learner's run of a lab, taken a virtual second at a time: a graded run (``LabRunner``),
/// a live session's account (`labengine serve`) and a transcript's replay all go through it,
/// so the three agree on what happens when.
///
/// The order is fixed: ``init(lab:seed:minutes:seconds:accountID:recordsLearnerCalls:printed:)``
/// builds the world (ancestors solved, the world aged, the first step's setup run); the
/// learner may act; ``begin()`` starts the failure modes and the scoring rule; then
/// ``tick()`` runs one second at a time, with the learner's requests applied between ticks;
/// ``result(commands:)`` gives the verdict.
public final class LabSession {
    public let lab: Lab
    public let world: World
    public let seed: UInt64
    /// The run's length in virtual minutes (its maximum score is the lab's for this many).
    public let minutes: Int
    /// The run's length in virtual seconds.
    public let length: Int
    let context: RunContext
    private let checks: StepChecks
    private var startTime: VirtualTime?
    /// Whole virtual seconds since ``begin()``.
    public private(set) var elapsed = 0
    /// The first error of an action scheduled with `at(seconds, fn)`; later ones were cancelled.
    public private(set) var scheduledActionError: LabError?
    /// Why the run ended before its length: its functions used more CPU than the lab allows.
    public private(set) var stop: RunStop?
    private var budget: FunctionCPUBudget?

    /// Builds the learner's world.
    /// - Parameters:
    ///   - seconds: the run's length in seconds instead of `minutes * 60` (`inspect --at`).
    ///   - accountID: the account's ID (default: the lab's); a live session gives each learner one.
    ///   - recordsLearnerCalls: keep every changing call learners make (a session's transcript).
    /// - Throws: ``LabError`` when the lab's own scripts fail.
    public init(
        lab: Lab, seed: UInt64, minutes: Int? = nil, seconds: Int? = nil, accountID: String? = nil, recordsLearnerCalls: Bool = false,
        printed: ((String) -> Void)? = nil
    ) throws {
        self.lab = lab
        self.seed = seed
        let minutes = minutes ?? lab.minutes
        self.minutes = minutes
        length = seconds ?? minutes * 60
        world = World(
            seed: seed, region: lab.region, accountID: accountID ?? lab.accountID, recordsLearnerCalls: recordsLearnerCalls, printed: printed)
        context = RunContext(lab: lab, world: world, seed: seed)
        context.maxScore = try lab.maxScore(minutes: minutes)
        let built = LabBuilder(context: context)
        // The learner arrives at a world that has been running: its schedules have fired
        // on their own clock, not at the learner's first second. An ancestor's steps are
        // solved when its own learner would have arrived (what its world created has
        // settled: a mapping is no longer Creating).
        let origin = world.account.scheduler.now
        let age = { [world] (seconds: Int) in
            let arrival = origin + .seconds(Double(seconds))
            if arrival > world.account.scheduler.now { world.account.run(until: arrival) }
        }
        for ancestor in lab.chain {
            try built.build(ancestor)
            if ancestor !== lab {
                age(ancestor.worldAge)
                for step in ancestor.steps {
                    try built.setUp(step, of: ancestor)
                    try built.solve(step, of: ancestor)
                }
            }
        }
        try Self.checkRates(of: lab, in: world)
        age(lab.worldAge)
        checks = StepChecks(lab: lab, context: context) { [lab] step in try built.setUp(step, of: lab) }
        try checks.start()
    }

    /// Applies the reference solutions of the lab's first `count` steps (all by default).
    public func solve(steps count: Int? = nil) throws {
        let built = LabBuilder(context: context)
        for step in lab.steps.prefix(count ?? lab.steps.count) { try built.solve(step, of: lab) }
    }

    /// The score so far.
    public var score: Int { context.score }
    /// The most the run can score.
    public var maxScore: Int { context.maxScore }
    /// The scoring rounds so far.
    public var rounds: [MinuteResult] { context.minutes }
    /// Whether time has started.
    public var started: Bool { startTime != nil }
    /// Whether the run has reached its length, or stopped.
    public var isOver: Bool { elapsed >= length || stop != nil }

    /// Starts the failure modes and the scoring rule: virtual time begins.
    public func begin() throws {
        guard startTime == nil else { return }
        world.timeStarted = true
        let faults = LabFaults(specs: lab.chain.flatMap(\.failures), seed: seed) { [weak context] in context?.phase }
        world.account.lambda.faults = faults
        context.faults = faults
        if let rule = lab.scoringRule {
            _ = try lab.state.call(rule, [lab.state.runObject, lab.scoringParams], during: context, what: "scoring rule")
        }
        startTime = world.account.scheduler.now
        budget = FunctionCPUBudget(secondsPerMinute: lab.functionCPUPerMinute, base: world.account.lambda.cpuTime)
        runScheduledActions()
    }

    /// Runs one virtual second: the account's events, the lab's scoring, the periodic
    /// checks, then the learner's actions scheduled for this second.
    /// - Throws: ``LabError`` when the lab's scoring fails.
    public func tick() throws {
        try begin()
        guard let startTime, !isOver else { return }
        elapsed += 1
        world.account.run(until: startTime + .seconds(Double(elapsed)))
        if let error = context.scriptErrors.first { throw error }
        if let stop = budget?.stop(world.account.lambda, elapsed: elapsed) {
            self.stop = stop
            return
        }
        if elapsed % lab.checkEvery == 0 { try checks.progress(at: Double(elapsed)) }
        runScheduledActions()
    }

    private func runScheduledActions() {
        guard scheduledActionError == nil else { return }
        scheduledActionError = world.runScheduledActions(upTo: Double(elapsed))
    }

    /// Each step as the checks during the run last saw it: passed (and when), or what is
    /// still missing. It reads no state of the world, so a live page can show it any time.
    public var checklist: [StepResult] {
        lab.steps.map { step in
            let last = checks.latest[step.id] ?? StepResult(id: step.id, title: step.title, status: .failed, message: "not checked yet")
            return last.firstPassed(at: checks.firstPassed[step.id])
        }
    }

    /// The first step not passed yet and the hint that fits it (the one its check named, else its default).
    public var currentHint: (step: Step, hint: Hint)? {
        guard let open = lab.steps.first(where: { checks.firstPassed[$0.id] == nil }) else { return nil }
        return open.hint(named: checks.latest[open.id]?.hint).map { (open, $0) }
    }

    /// Every function's summary (invocations, errors, throttles, timeouts, the top error), as JSON reports show it.
    package var functionSummaries: [Document] { FunctionSummary.all(world.account.logs).map(\.document) }

    /// The verdict now: every step checked, the passing rule applied.
    public func result(commands: [CommandOutcome] = []) throws -> RunResult {
        let steps = checks.verdict(at: Double(elapsed))
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
        // A stopped run did not do what its minutes ask, whatever it scored before.
        if stop != nil { passed = false }
        // The first step that is not done, and the hint its check named (or its default).
        let firstOpen = steps.firstIndex { !$0.passed }
        let hint = firstOpen.flatMap { index in lab.steps[index].hint(named: steps[index].hint) }
        return RunResult(
            lab: lab.id, title: lab.title, seed: seed, passed: passed, score: context.score, maxScore: context.maxScore, steps: steps,
            minutes: context.minutes, actionError: nil, scheduledActionError: scheduledActionError, stop: stop, hint: hint,
            world: world, commands: commands)
    }

    /// The result of a run whose learner's actions stopped before time started.
    func notGraded(_ error: LabError, commands: [CommandOutcome]) -> RunResult {
        // Time never started, so no check would say anything true about the learner's work.
        let steps = lab.steps.map {
            StepResult(id: $0.id, title: $0.title, status: .notGraded, message: "not graded: your actions stopped with an error before virtual time ran")
        }
        return RunResult(
            lab: lab.id, title: lab.title, seed: seed, passed: false, score: context.score, maxScore: context.maxScore, steps: steps,
            minutes: [], actionError: error, scheduledActionError: nil, stop: nil, hint: nil, world: world, commands: commands)
    }

    /// A failure entry's rates must name functions the world has: a misspelt name would
    /// quietly inject nothing.
    private static func checkRates(of lab: Lab, in world: World) throws {
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
}

/// Calls a lab's world, setup and solve functions with the lab's `aws`, in the lab's folder.
struct LabBuilder {
    let context: RunContext

    func build(_ lab: Lab) throws {
        guard let world = lab.world else { return }
        let info: Document = [
            "id": .string(lab.id), "region": .string(context.world.account.region), "account": .string(context.world.account.accountID),
            "seed": .int(Int64(bitPattern: context.seed)),
            "functions": .map(lab.functions.mapValues { .string($0) }),
        ]
        try inDirectory(lab.directory) {
            _ = try lab.state.call(world, [lab.state.awsClient, info], during: context, what: "world")
        }
    }

    func setUp(_ step: Step, of lab: Lab) throws {
        guard let setup = step.setup else { return }
        try inDirectory(lab.directory) {
            _ = try lab.state.call(setup, [lab.state.awsClient], during: context, what: "setup of step '\(step.id)'")
        }
    }

    func solve(_ step: Step, of lab: Lab) throws {
        guard let solve = step.solve else {
            throw LabError(file: lab.file, message: "step '\(step.id)' has no solve function, so the reference solution cannot be applied")
        }
        try inDirectory(lab.directory) {
            _ = try lab.state.call(solve, [lab.state.awsClient], during: context, what: "solve of step '\(step.id)'")
        }
    }

    private func inDirectory(_ directory: String, _ body: () throws -> Void) throws {
        let saved = context.world.baseDirectory
        context.world.baseDirectory = directory
        defer { context.world.baseDirectory = saved }
        try body()
    }
}
