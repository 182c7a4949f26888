import ArgumentParser
import CloudSim
import Foundation
import LabEngine

extension Labengine {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Builds a lab's world, applies actions, runs virtual minutes and shows the score, steps and next hint.")

        @OptionGroup var options: LabsOptions
        @Argument(help: "The lab to run.") var lab: String
        @OptionGroup var learner: ActionOptions
        @Option(name: .long, help: "Virtual minutes to run (default: the lab's).") var minutes: Int?
        @Option(name: .long, help: "The seed of every random choice.") var seed: UInt64 = 1
        @Option(name: .long, help: "Write the report, logs, tables and metrics into this folder.") var artifacts: String?
        @Flag(name: .long, help: "Show AggregateTable live while the run goes.") var watch = false
        @Option(name: .long, help: "With --watch: virtual seconds per real second.") var speed: Double = 60

        func validate() throws {
            if let minutes, minutes < 1 { throw ValidationError("--minutes must be at least 1") }
            if speed <= 0 { throw ValidationError("--speed must be more than 0") }
        }

        func run() throws {
            let lab = try Diagnostics.loadLab(self.lab, options)
            let length = minutes ?? lab.minutes
            let display = ProgressDisplay(totalSeconds: Double(length * 60), watch: watch, speed: speed)
            print("\(lab.id): \(lab.title) — seed \(seed), \(Plural.count(length, "virtual minute"))")
            let commands = learner.commands { command in
                display.interrupt()
                print("$ \(command.command)")
                print(command.output, terminator: command.output.hasSuffix("\n") || command.output.isEmpty ? "" : "\n")
                if command.exitStatus != 0 { print("(\(command.timedOut ? "timed out" : "exit status \(command.exitStatus)"))") }
            }
            let result = try Diagnostics.run(
                lab, actions: learner.value, seed: seed, minutes: minutes, commands: commands,
                printed: { line in
                    display.interrupt()
                    print(line)
                }
            ) { progress in display.update(progress) }
            display.finish()
            if let error = result.actionError {
                Diagnostics.error("your actions stopped with an error: \(error.description)")
                print("\nThe world did not run: virtual time starts only after your actions finish, so no step was graded.")
                print("Fix the error above and run again.")
                if let artifacts { try Artifacts.write(result, to: artifacts) }
                throw ExitCode(1)
            }
            if let error = result.scheduledActionError {
                Diagnostics.error("an action you scheduled with at() stopped with an error: \(error.description)")
                print("The actions scheduled after it did not run; time and the steps' checks went on.")
            }
            if let stop = result.stop { Diagnostics.error(stop.message) }
            if !result.minutes.isEmpty { print("") }
            for m in result.minutes {
                let reason = m.points == 0 ? "  — \(m.detail)" : ""
                print("minute \(m.minute): +\(m.points) points (score \(m.score))\(reason)")
            }
            let incidents = result.world.account.logs.incidents
            for incident in incidents.prefix(5) {
                print("\(incident.function) hit its \(incident.kind) at \(incident.time): \(incident.message)")
            }
            if incidents.count > 5 { print("… and \(incidents.count - 5) more limits hit (see --artifacts)") }
            let troubled = FunctionSummary.troubled(in: result)
            if !troubled.isEmpty {
                print("\nfunctions with errors, throttles or timeouts:")
                for function in troubled { for line in function.lines { print("  \(line)") } }
            }
            print("\nscore \(result.score)/\(result.maxScore)\n")
            for step in result.steps {
                print("\(GradeReport.mark(step.status)) \(step.title) (\(step.id))\(step.passedAt.map { " — done at \(Int($0)) s" } ?? "")")
                if !step.passed { print("    \(step.status == .error ? "the step's check is broken (tell the lab's author): " : "")\(step.message)") }
            }
            if let failing = result.steps.first(where: { !$0.passed }) {
                print("\nnext: \(failing.title)")
                if let hint = result.hint, let first = hint.levels.first {
                    print("  hint: \(first)")
                    if hint.levels.count > 1 {
                        print("  more: labengine hint \(lab.id) \(failing.id)\(workspace.map { " --workspace \($0)" } ?? "")")
                    }
                }
            }
            print(result.passed ? "\nPASSED" : "\nNOT PASSED")
            if let workspace, HintProgress.isWorkspace(workspace) {
                var progress = HintProgress.load(from: workspace)
                progress.record(result)
                try? progress.save(to: workspace)
            }
            if let artifacts { try Artifacts.write(result, to: artifacts) }
            if !result.passed { throw ExitCode(1) }
        }

        /// The learner's workspace: the folder of the first actions file, where `hint` keeps its levels.
        var workspace: String? {
            learner.actions.first.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        }
    }
}

/// "1 virtual minute", "3 virtual minutes".
enum Plural {
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}

/// A progress bar on a terminal, plain lines otherwise; with --watch, the live table.
final class ProgressDisplay {
    let totalSeconds: Double
    let watch: Bool
    let speed: Double
    let terminal = isatty(STDOUT_FILENO) != 0
    var lastMinute = -1
    var live = LiveView()
    let clock = ContinuousClock()
    let started: ContinuousClock.Instant

    init(totalSeconds: Double, watch: Bool, speed: Double) {
        self.totalSeconds = totalSeconds
        self.watch = watch
        self.speed = speed
        started = clock.now
    }

    func update(_ progress: VirtualTimeProgress) {
        if watch {
            // Pace the run so that `speed` virtual seconds pass per real second.
            let due = started + .milliseconds(Int64(progress.seconds / speed * 1000))
            let now = clock.now
            if due > now { Thread.sleep(forTimeInterval: Double((due - now).components.attoseconds) / 1e18) }
            live.show(progress)
            return
        }
        let minute = Int(progress.seconds) / 60
        if terminal {
            let width = 40
            let filled = Int(Double(width) * min(progress.seconds / totalSeconds, 1))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardOutput.write(Data("\r\(bar) \(Int(progress.seconds))s score \(progress.score)   ".utf8))
        } else if minute != lastMinute, Int(progress.seconds) % 60 == 0 {
            print("t=\(Int(progress.seconds))s score \(progress.score)")
        }
        lastMinute = minute
    }

    func finish() {
        if terminal && !watch { print("") }
    }

    /// Ends the progress bar's line before other output.
    func interrupt() {
        if terminal && !watch { print("") }
    }
}
