import ArgumentParser
import Foundation
import LabEngine

extension Labengine {
    struct HintCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hint",
            abstract: "Shows the next level of the hint for the step you are on (from a nudge to the answer).")

        @OptionGroup var options: LabsOptions
        @Argument(help: "The lab.") var lab: String
        @Argument(help: "A step id (default: the first step not done in your last run).") var step: String?
        @Option(name: .long, help: "Your workspace, where the levels you have seen are kept (default: the current folder).")
        var workspace: String = "."

        func run() throws {
            let lab = try Diagnostics.loadLab(self.lab, options)
            var progress = HintProgress.load(from: workspace)
            let id = step ?? progress.current ?? lab.steps.first?.id
            guard let found = lab.steps.first(where: { $0.id == id }) else {
                Diagnostics.error("lab '\(lab.id)' has no step '\(id ?? "")' (steps: \(lab.steps.map(\.id).joined(separator: ", ")))")
                throw ExitCode(2)
            }
            guard let shown = progress.reveal(found) else {
                print("step '\(found.id)' has no hints")
                return
            }
            print("\(found.title) (\(found.id)):")
            for (level, text) in shown.levels.enumerated() { print("  \(level + 1). \(text)") }
            print(shown.last ? "that is the last hint for this." : "run `labengine hint \(lab.id)` again for the next level.")
            do { try progress.save(to: workspace) } catch {
                Diagnostics.error("cannot remember the hint level in \(workspace): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
    }
}
