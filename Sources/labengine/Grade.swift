import ArgumentParser
import Foundation
import LabEngine

extension Labengine {
    struct Grade: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grades a lab headlessly: exit 0 if every step passes, 1 if one fails, 2 on errors.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json, junit, exercism

            var fileExtension: String {
                switch self {
                case .text: return "txt"
                case .json, .exercism: return "json"
                case .junit: return "xml"
                }
            }
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
        @Option(name: .long, help: "Grade every folder in DIR as one learner's submission (its actions file, or where --exec commands run).")
        var submissions: String?
        @Option(name: .long, help: "With --submissions: the actions file in each folder.") var entry = "actions.lua"
        @Option(name: .long, help: "With --submissions: only part K of N of the sorted folders (a CI matrix's job).") var shard: String?
        @Option(name: .long, help: "With --submissions: the folder for each report and the summary (CSV and JSON).") var reports = "reports"
        @OptionGroup var parallel: ParallelOptions

        func validate() throws {
            if submissions != nil {
                if learner.solution || !learner.actions.isEmpty || transcript != nil || output != nil {
                    throw ValidationError("--submissions grades each folder's own \(entry) (or --exec in it): it takes no --actions, --solution, --transcript or --output")
                }
                if let shard, SubmissionGrader.Shard(shard) == nil { throw ValidationError("--shard takes K/N with 1 <= K <= N, like 2/4") }
                if seeds < 1 { throw ValidationError("--seeds must be at least 1") }
                return
            }
            if shard != nil { throw ValidationError("--shard splits --submissions") }
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
            if let submissions { return try gradeSubmissions(submissions) }
            // The report shows the first failing seed, else the first. Each run's world is
            // let go as soon as its report is taken (a lab2 world is ~180 MB).
            var shown: (report: GradeReport, passed: Bool)?
            var summary: [(seed: UInt64, passed: Bool, score: Int)] = []
            // Seeds run side by side, each with a lab of its own (its own Lua states).
            let (actions, first, length, commands, labID) = (learner.value, seed, minutes, learner.commandSettings, lab.id)
            let (labsDirectory, pluginsDirectory) = (options.labs, options.plugins)
            let outcomes = Parallel.run(seeds, jobs: seeds == 1 ? 1 : parallel.jobs, memory: parallel.budget) { offset in
                Result { () throws -> SeedOutcome in
                    let own = try LabLoader(catalog: LabCatalog(directory: labsDirectory, pluginsDirectory: pluginsDirectory)).load(labID)
                    let result = try LabRunner(lab: own, commands: commands.map { CommandRunner(timeout: $0, shown: nil) })
                        .run(actions: actions, seed: first &+ UInt64(offset), minutes: length)
                    return SeedOutcome(report: GradeReport(result: result), seed: result.seed, passed: result.passed, score: result.score, commands: result.commands)
                }.mapError { SeedFailure(description: "\($0)", labError: $0 as? LabError) }
            }
            for outcome in outcomes {
                let result: SeedOutcome
                switch outcome {
                case .success(let value): result = value
                case .failure(let failure):
                    Diagnostics.error(failure.labError?.description ?? failure.description)
                    throw ExitCode(2)
                }
                for command in result.commands where command.exitStatus != 0 {
                    Diagnostics.error("'\(command.command)' \(command.timedOut ? "timed out" : "exited with \(command.exitStatus)"):\n\(command.output.suffix(2000))")
                }
                summary.append((result.seed, result.passed, result.score))
                if shown == nil || (shown?.passed == true && !result.passed) { shown = (result.report, result.passed) }
            }
            guard var report = shown?.report else { return }
            if seeds > 1 { report.seeds = summary }
            try emit(report)
            if summary.contains(where: { !$0.passed }) { throw ExitCode(1) }
        }

        private func emit(_ report: GradeReport) throws {
            try Diagnostics.emit(report.rendered(format), to: output)
        }

        /// `--submissions DIR`: a report per submission and seed, and the summary.
        private func gradeSubmissions(_ directory: String) throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                Diagnostics.error("no submissions folder at '\(directory)'")
                throw ExitCode(2)
            }
            let grader = SubmissionGrader(
                labID: lab, labsDirectory: options.labs, pluginsDirectory: options.plugins, entry: entry, exec: learner.exec,
                execTimeout: learner.execTimeout, seeds: (0..<UInt64(seeds)).map { seed &+ $0 }, minutes: minutes, parallel: parallel,
                shard: shard.flatMap(SubmissionGrader.Shard.init) ?? .whole, reports: reports, format: format)
            let rows: [SubmissionGrader.Row]
            do {
                rows = try grader.grade(directory)
            } catch {
                Diagnostics.error("cannot grade the submissions: \(error.localizedDescription)")
                throw ExitCode(2)
            }
            let passed = rows.filter(\.passed).count
            print("\(passed) of \(rows.count) passed; reports and summary in \(reports)/")
            if passed < rows.count { throw ExitCode(1) }
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

/// One seed's grade, as the report needs it (the world is let go inside the job).
struct SeedOutcome: Sendable {
    let report: GradeReport
    let seed: UInt64
    let passed: Bool
    let score: Int
    let commands: [CommandOutcome]
}

/// Why a seed could not be graded: the lab's own scripts failed.
struct SeedFailure: Error, Sendable {
    let description: String
    let labError: LabError?
}

extension GradeReport {
    /// The report in one of `grade`'s formats.
    func rendered(_ format: Labengine.Grade.Format) -> String {
        switch format {
        case .text: return text()
        case .json: return json()
        case .junit: return junit()
        case .exercism: return exercism()
        }
    }
}
