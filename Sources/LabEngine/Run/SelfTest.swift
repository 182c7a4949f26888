import DocumentModel
import Foundation
import LuaBridge

/// `labengine test`: a lab author's self-test. Each step's check fails before its
/// solve and passes after; the solved lab reaches its full score, the unsolved one does
/// not; the same seed gives the same report; the lab's `tests/*.lua` scenarios hold.
///
/// Every run an assertion needs (a partial world, the determinism rerun, a scenario) is a
/// job of its own that loads its own copy of the lab, so the runs of every lab tested go
/// side by side on `jobs` threads; the lines come out lab by lab, in the order given.
public struct SelfTest: Sendable {
    public let catalog: LabCatalog
    /// Makes what runs the scenarios' commands (`exec`), one per run; without it, such
    /// scenarios fail with the reason.
    public let commands: (@Sendable () -> any CommandHost)?

    /// The seeds every assertion runs under (`labengine test --seeds N`: 1…N). Scenarios
    /// that pin their own `seed` run under it each time.
    public let seeds: [UInt64]
    /// Runs at once.
    public let jobs: Int
    /// What all runs together may hold before another starts.
    let memory: Parallel.MemoryBudget?

    package init(
        catalog: LabCatalog, commands: (@Sendable () -> any CommandHost)? = nil, seeds: [UInt64] = [1], jobs: Int = 1,
        memory: Parallel.MemoryBudget? = nil
    ) {
        self.catalog = catalog
        self.commands = commands
        self.seeds = seeds.isEmpty ? [1] : seeds
        self.jobs = max(1, jobs)
        self.memory = memory
    }

    /// A run's verdict and report, kept after its world is let go.
    struct Outcome: Sendable {
        let steps: [StepResult]
        let passed: Bool
        let score: Int
        let maxScore: Int
        let minutes: [MinuteResult]
        let stop: RunStop?
        let report: String

        init(_ result: RunResult) {
            steps = result.steps
            passed = result.passed
            score = result.score
            maxScore = result.maxScore
            minutes = result.minutes
            stop = result.stop
            report = GradeReport(result: result).json()
        }
    }

    /// One run the assertions of a lab need.
    enum Job: Sendable {
        /// The world with the reference solutions of the first `steps` steps.
        case partial(lab: String, seed: UInt64, steps: Int)
        /// The whole solution again, for the determinism check.
        case again(lab: String, seed: UInt64)
        /// A scenario (`variant` nil) or one of its variants.
        case scenario(lab: String, seed: UInt64, file: String, variant: String?)

        var lab: String {
            switch self {
            case .partial(let lab, _, _), .again(let lab, _), .scenario(let lab, _, _, _): lab
            }
        }

        var seed: UInt64 {
            switch self {
            case .partial(_, let seed, _), .again(_, let seed), .scenario(_, let seed, _, _): seed
            }
        }
    }

    /// What a job gave: a run's outcome, a scenario's, or why the run failed.
    enum JobResult: Sendable {
        case run(Outcome)
        case scenario([Scenario.Outcome])
        case failed(String)

        /// Why the job gave no result of the kind wanted.
        var failure: String {
            if case .failed(let why) = self { return why }
            return "the job gave a result of another kind"
        }
    }

    /// Why a step's result is not the expected one: a broken check says so first.
    static func why(_ step: StepResult, passedWhat: String) -> String {
        switch step.status {
        case .error: return "the check is broken: \(step.message)"
        case .passed: return passedWhat.isEmpty ? step.message : "\(passedWhat): \(step.message)"
        case .failed, .notGraded: return step.message
        }
    }

    /// Runs every assertion for one lab, reporting each line through `output`.
    public func run(_ id: String, output: (String) -> Void) -> (passed: Int, failed: Int) {
        run([id], output: output)
    }

    /// Runs every assertion for each lab, reporting each line through `output` as soon as
    /// the runs it needs, and the lines before it, are done.
    public func run(_ ids: [String], output: (String) -> Void) -> (passed: Int, failed: Int) {
        var tally = Tally()
        var reports: [LabReport] = []
        var jobs: [Job] = []
        for id in ids {
            do {
                let lab = try LabLoader(catalog: catalog).load(id)
                let planned = plan(lab)
                reports.append(LabReport(id: id, lab: lab, seeds: seeds, jobs: planned))
                jobs += planned
            } catch {
                reports.append(LabReport(id: id, loadError: "\(error)"))
            }
        }
        // Results arrive in job order; each goes to the lab it belongs to, and every lab whose
        // results are all in is passed (a lab that did not load has none to wait for).
        var current = 0
        func deliver(_ result: JobResult?) {
            var result = result
            while current < reports.count {
                if !reports[current].started { reports[current].start(tally: &tally, output: output) }
                if let next = result, !reports[current].isComplete {
                    reports[current].take(next, tally: &tally, output: output)
                    result = nil
                }
                guard reports[current].isComplete else { return }
                current += 1
            }
        }
        deliver(nil)
        let (planned, catalog, commands) = (jobs, catalog, commands)
        _ = Parallel.run(planned.count, jobs: self.jobs, memory: memory, { index in
            Self.perform(planned[index], catalog: catalog, commands: commands)
        }, finished: { _, result in deliver(result) })
        return (tally.passed, tally.failed)
    }

    /// The runs one lab's assertions need, under every seed, in the order they are reported.
    func plan(_ lab: Lab) -> [Job] {
        seeds.flatMap { seed in
            (0...lab.steps.count).map { Job.partial(lab: lab.id, seed: seed, steps: $0) } + [Job.again(lab: lab.id, seed: seed)]
                + scenarios(of: lab).flatMap { file in
                    Scenario.variants(of: file).map { Job.scenario(lab: lab.id, seed: seed, file: file, variant: $0) }
                }
        }
    }

    /// Runs one job with a lab of its own (a lab's Lua states belong to one thread).
    static func perform(_ job: Job, catalog: LabCatalog, commands: (@Sendable () -> any CommandHost)?) -> JobResult {
        do {
            let lab = try LabLoader(catalog: catalog).load(job.lab)
            switch job {
            case .partial(_, let seed, let steps):
                return .run(Outcome(try LabRunner(lab: lab).run(actions: .firstSteps(steps), seed: seed)))
            case .again(_, let seed):
                return .run(Outcome(try LabRunner(lab: lab).run(actions: .solution, seed: seed)))
            case .scenario(_, let seed, let file, let variant):
                return .scenario(Scenario.run(file, variant: variant, lab: lab, seed: seed, commands: commands?()))
            }
        } catch {
            return .failed("\(error)")
        }
    }

    /// One lab's assertions, checked as its jobs' results arrive (in the order `plan` made them).
    struct LabReport {
        let id: String
        let lab: Lab?
        let loadError: String?
        let seeds: [UInt64]
        let jobs: [Job]
        private(set) var started = false
        private var taken = 0
        /// The current seed's partial worlds and solution rerun, as they arrived.
        private var outcomes: [Outcome] = []
        /// Set once one of the current seed's runs failed: its other run checks are skipped.
        private var runFailed = false

        init(id: String, lab: Lab, seeds: [UInt64], jobs: [Job]) {
            self.id = id
            self.lab = lab
            loadError = nil
            self.seeds = seeds
            self.jobs = jobs
        }

        init(id: String, loadError: String) {
            self.id = id
            lab = nil
            self.loadError = loadError
            seeds = []
            jobs = []
        }

        var isComplete: Bool { started && taken == jobs.count }

        mutating func start(tally: inout Tally, output: (String) -> Void) {
            started = true
            tally.check(lab != nil, id, "loads", loadError ?? "", output: output)
        }

        mutating func take(_ result: JobResult, tally: inout Tally, output: (String) -> Void) {
            guard let lab else { return }
            let job = jobs[taken]
            taken += 1
            let under = seeds.count > 1 ? " (seed \(job.seed))" : ""
            switch job {
            case .partial(_, _, let k): takeRun(result, k: k, under: under, tally: &tally, output: output)
            case .again: takeRun(result, k: lab.steps.count + 1, under: under, tally: &tally, output: output)
            case .scenario(_, _, let file, _):
                let name = URL(fileURLWithPath: file).lastPathComponent
                guard case .scenario(let results) = result else {
                    return tally.check(false, id, "scenario \(name)\(under)", result.failure, output: output)
                }
                for outcome in results {
                    let label = name + (outcome.variant.map { " [\($0)]" } ?? "")
                    tally.check(outcome.failures.isEmpty, id, "scenario \(label)\(outcome.description.isEmpty ? "" : " (\(outcome.description))")\(under)",
                        outcome.failures.joined(separator: "; "), output: output)
                }
            }
        }

        /// Run `k` of a seed: the partial world with `k` steps solved (0…steps), then the rerun.
        private mutating func takeRun(_ result: JobResult, k: Int, under: String, tally: inout Tally, output: (String) -> Void) {
            if k == 0 {
                outcomes = []
                runFailed = false
            }
            guard !runFailed else { return }
            guard case .run(let outcome) = result else {
                runFailed = true
                return tally.check(false, id, "runs\(under)", result.failure, output: output)
            }
            outcomes.append(outcome)
            reportRuns(upTo: k, under: under, tally: &tally, output: output)
        }

        /// The checks that run `k` completes: step k-1 before and after its solve; with the
        /// last partial world, the full and the unsolved scores; with the rerun, determinism.
        private func reportRuns(upTo k: Int, under: String, tally: inout Tally, output: (String) -> Void) {
            guard let lab else { return }
            let steps = lab.steps.count
            if k >= 1 && k <= steps {
                let step = lab.steps[k - 1]
                // A check that broke has not failed: it said nothing about the world.
                let before = outcomes[k - 1].steps[k - 1]
                tally.check(before.status == .failed, id, "step '\(step.id)' fails before its solve\(under)", SelfTest.why(before, passedWhat: "its check passed"), output: output)
                let after = outcomes[k].steps[k - 1]
                tally.check(after.passed, id, "step '\(step.id)' passes after its solve\(under)", SelfTest.why(after, passedWhat: ""), output: output)
            }
            if k == steps {
                let solved = outcomes[steps]
                tally.check(solved.passed && solved.score >= solved.maxScore, id, "the solved lab reaches its full score\(under)",
                    (solved.stop.map { $0.message + " " } ?? "") + "score \(solved.score)/\(solved.maxScore), passed: \(solved.passed); " + solved.minutes.filter { !$0.exact }.map { "minute \($0.minute): \($0.detail)" }.joined(separator: "; "), output: output)
                let unsolved = outcomes[0]
                tally.check(!unsolved.passed && unsolved.score < unsolved.maxScore, id, "the unsolved lab does not\(under)", "score \(unsolved.score)/\(unsolved.maxScore)", output: output)
            }
            if k == steps + 1 {
                tally.check(outcomes[steps + 1].report == outcomes[steps].report, id, "the same seed gives the same report\(under)", output: output)
            }
        }
    }

    /// Counts the assertions and prints each.
    struct Tally {
        var passed = 0
        var failed = 0

        mutating func check(_ ok: Bool, _ id: String, _ what: String, _ why: @autoclosure () -> String = "", output: (String) -> Void) {
            if ok {
                passed += 1
                output("ok   \(id): \(what)")
            } else {
                failed += 1
                output("FAIL \(id): \(what)\(why().isEmpty ? "" : " — \(why())")")
            }
        }
    }

    func scenarios(of lab: Lab) -> [String] {
        let folder = URL(fileURLWithPath: lab.directory).appendingPathComponent("tests")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".lua") }.sorted().map { folder.appendingPathComponent($0).path }
    }
}
