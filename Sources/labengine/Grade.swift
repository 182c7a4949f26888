import ArgumentParser
import LabEngine

extension Labengine {
    struct Grade: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grades a lab headlessly: exit 0 if every step passes, 1 if one fails, 2 on errors.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json, junit, exercism
        }

        @OptionGroup var options: LabsOptions
        @Argument(help: "The lab to grade.") var lab: String
        @OptionGroup var learner: ActionOptions
        @Option(name: .long, help: "text, json, junit or exercism.") var format: Format = .text
        @Option(name: .long, help: "Write the report to this file instead of standard output.") var output: String?
        @Option(name: .long, help: "The seed of every random choice.") var seed: UInt64 = 1
        @Option(name: .long, help: "Grade under this many seeds (seed, seed+1, …); fail if any fails.") var seeds: Int = 1
        @Option(name: .long, help: "Virtual minutes to run (default: the lab's).") var minutes: Int?
        @Option(name: .long, help: "Replay a live session's transcript (labengine serve) at its recorded virtual times, then grade.")
        var transcript: String?

        func validate() throws {
            if transcript != nil {
                if learner.solution || !learner.actions.isEmpty || !learner.exec.isEmpty || seeds != 1 || minutes != nil {
                    throw ValidationError("--transcript replays a session as it was: it takes no --actions, --exec, --solution, --seeds or --minutes")
                }
                return
            }
            if !learner.solution && learner.actions.isEmpty && learner.exec.isEmpty {
                throw ValidationError("grade needs --actions FILE…, --exec CMD…, --solution or --transcript FILE")
            }
            if seeds < 1 { throw ValidationError("--seeds must be at least 1") }
            if let minutes, minutes < 1 { throw ValidationError("--minutes must be at least 1") }
        }

        func run() throws {
            let lab = try Diagnostics.loadLab(self.lab, options)
            if let transcript { return try replay(transcript, of: lab) }
            // The report shows the first failing seed, else the first. Each run's world is
            // let go as soon as its report is taken (a lab2 world is ~180 MB).
            var shown: (report: GradeReport, passed: Bool)?
            var summary: [(seed: UInt64, passed: Bool, score: Int)] = []
            for offset in 0..<UInt64(seeds) {
                let result = try Diagnostics.run(lab, actions: learner.value, seed: seed &+ offset, minutes: minutes, commands: learner.commands())
                for command in result.commands where command.exitStatus != 0 {
                    Diagnostics.error("'\(command.command)' \(command.timedOut ? "timed out" : "exited with \(command.exitStatus)"):\n\(command.output.suffix(2000))")
                }
                summary.append((result.seed, result.passed, result.score))
                if shown == nil || (shown?.passed == true && !result.passed) { shown = (GradeReport(result: result), result.passed) }
            }
            guard var report = shown?.report else { return }
            if seeds > 1 { report.seeds = summary }
            try emit(report)
            if summary.contains(where: { !$0.passed }) { throw ExitCode(1) }
        }

        private func emit(_ report: GradeReport) throws {
            switch format {
            case .text: try Diagnostics.emit(report.text(), to: output)
            case .json: try Diagnostics.emit(report.json(), to: output)
            case .junit: try Diagnostics.emit(report.junit(), to: output)
            case .exercism: try Diagnostics.emit(report.exercism(), to: output)
            }
        }

        /// `--transcript`: the session's learner again, at the session's times and seed.
        private func replay(_ path: String, of lab: Lab) throws {
            let recorded: Transcript
            let outcome: TranscriptReplay.Outcome
            do {
                recorded = try Transcript.read(file: path)
                outcome = try TranscriptReplay(lab: lab, transcript: recorded).run()
            } catch let error as TranscriptError {
                Diagnostics.error(error.description)
                throw ExitCode(2)
            } catch let error as LabError {
                Diagnostics.error(error.description)
                throw ExitCode(2)
            }
            for divergence in outcome.divergences {
                Diagnostics.warning("the replay differs from the session at \(divergence)")
            }
            try emit(GradeReport(result: outcome.result))
            if !outcome.result.passed { throw ExitCode(1) }
        }
    }
}
