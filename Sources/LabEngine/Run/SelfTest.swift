import DocumentModel
import Foundation
import LuaBridge

/// `labengine test`: a lab author's self-test. Each step's check fails before its
/// solve and passes after; the solved lab reaches its full score, the unsolved one does
/// not; the same seed gives the same report; the lab's `tests/*.lua` scenarios hold.
public struct SelfTest {
    public let catalog: LabCatalog
    /// Runs the scenarios' commands (`exec`); without one, such scenarios fail with the reason.
    public let commands: (any CommandHost)?

    /// The seeds every assertion runs under (`labengine test --seeds N`: 1…N). Scenarios
    /// that pin their own `seed` run under it each time.
    public let seeds: [UInt64]

    public init(catalog: LabCatalog, commands: (any CommandHost)? = nil, seeds: [UInt64] = [1]) {
        self.catalog = catalog
        self.commands = commands
        self.seeds = seeds.isEmpty ? [1] : seeds
    }

    /// A run's verdict and report, kept after its world is let go.
    struct Outcome {
        let steps: [StepResult]
        let passed: Bool
        let score: Int
        let maxScore: Int
        let minutes: [MinuteResult]
        let report: String

        init(_ result: RunResult) {
            steps = result.steps
            passed = result.passed
            score = result.score
            maxScore = result.maxScore
            minutes = result.minutes
            report = GradeReport(result: result).json()
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
        var passed = 0
        var failed = 0
        func check(_ ok: Bool, _ what: String, _ why: @autoclosure () -> String = "") {
            if ok {
                passed += 1
                output("ok   \(id): \(what)")
            } else {
                failed += 1
                output("FAIL \(id): \(what)\(why().isEmpty ? "" : " — \(why())")")
            }
        }
        let lab: Lab
        do {
            lab = try LabLoader(catalog: catalog).load(id)
        } catch {
            check(false, "loads", "\(error)")
            return (passed, failed)
        }
        check(true, "loads")
        let runner = LabRunner(lab: lab)
        for seed in seeds {
            let under = seeds.count > 1 ? " (seed \(seed))" : ""
            do {
                // What each partial world showed, without the world itself: a lab2 world holds
                // ~180 MB, and a self-test runs one per step and seed.
                var results: [Outcome] = []
                for k in 0...lab.steps.count { results.append(Outcome(try runner.run(actions: .firstSteps(k), seed: seed))) }
                for (k, step) in lab.steps.enumerated() {
                    // A check that broke has not failed: it said nothing about the world.
                    let before = results[k].steps[k]
                    check(before.status == .failed, "step '\(step.id)' fails before its solve\(under)", Self.why(before, passedWhat: "its check passed"))
                    let after = results[k + 1].steps[k]
                    check(after.passed, "step '\(step.id)' passes after its solve\(under)", Self.why(after, passedWhat: ""))
                }
                let solved = results[lab.steps.count]
                check(solved.passed && solved.score >= solved.maxScore, "the solved lab reaches its full score\(under)",
                    "score \(solved.score)/\(solved.maxScore), passed: \(solved.passed); " + solved.minutes.filter { !$0.exact }.map { "minute \($0.minute): \($0.detail)" }.joined(separator: "; "))
                let unsolved = results[0]
                check(!unsolved.passed && unsolved.score < unsolved.maxScore, "the unsolved lab does not\(under)", "score \(unsolved.score)/\(unsolved.maxScore)")
                let again = Outcome(try runner.run(actions: .solution, seed: seed))
                check(again.report == solved.report, "the same seed gives the same report\(under)")
            } catch {
                check(false, "runs\(under)", "\(error)")
            }
            for scenario in scenarios(of: lab) {
                for outcome in Scenario.run(scenario, lab: lab, seed: seed, commands: commands) {
                    let name = URL(fileURLWithPath: scenario).lastPathComponent + (outcome.variant.map { " [\($0)]" } ?? "")
                    check(outcome.failures.isEmpty, "scenario \(name)\(outcome.description.isEmpty ? "" : " (\(outcome.description))")\(under)",
                        outcome.failures.joined(separator: "; "))
                }
            }
        }
        return (passed, failed)
    }

    func scenarios(of lab: Lab) -> [String] {
        let folder = URL(fileURLWithPath: lab.directory).appendingPathComponent("tests")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".lua") }.sorted().map { folder.appendingPathComponent($0).path }
    }
}
