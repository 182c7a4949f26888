import ArgumentParser
import CloudSim
import DocumentModel
import Foundation
import LabEngine

extension Labengine {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Applies actions (and runs time up to --at) and prints one thing of the world as JSON, without grading.",
            discussion: "KIND is one of: \(Inspection.allCases.map { "\($0.rawValue) (\($0.subject))" }.joined(separator: ", ")).")

        @OptionGroup var options: LabsOptions
        @Argument(help: "The lab.") var lab: String
        @Argument(help: ArgumentHelp("What to look at.", valueName: "kind")) var kind: Inspection
        @Argument(help: "The table, function, role or stream.") var name: String
        @OptionGroup var learner: ActionOptions
        @Option(name: .long, help: "Virtual seconds to run after the actions before looking (default 0: as the actions left it).")
        var at: Int = 0
        @Option(name: .long, help: "The seed of every random choice.") var seed: UInt64 = 1

        func validate() throws {
            if at < 0 { throw ValidationError("--at must be 0 or more seconds") }
        }

        func run() throws {
            let lab = try Diagnostics.loadLab(self.lab, options)
            let result = try Diagnostics.run(
                lab, actions: learner.value, seed: seed, minutes: nil, seconds: at, commands: learner.commands(),
                printed: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
            if let error = result.actionError {
                Diagnostics.error("your actions stopped with an error: \(error.description); this is the world as they left it")
            }
            if let stop = result.stop { Diagnostics.error("\(stop.message); this is the world at that second") }
            do {
                print(try kind.look(at: name, in: result.world).prettyJSONText())
            } catch let error as AWSError {
                Diagnostics.error("\(error.code): \(error.message)")
                throw ExitCode(1)
            }
            // The world was shown, but the learner's actions failed: as run and grade do.
            if result.actionError != nil { throw ExitCode(1) }
        }
    }
}

extension Inspection: ExpressibleByArgument {}
