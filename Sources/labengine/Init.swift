import ArgumentParser
import Foundation
import LabEngine

extension Labengine {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Writes a learner workspace: actions.lua and the lab's function code to edit.")

        @OptionGroup var options: LabsOptions
        @Argument(help: "The lab.") var lab: String
        @Argument(help: "The folder to create.") var directory: String

        func run() throws {
            let lab = try Diagnostics.loadLab(self.lab, options)
            do {
                let files = try Workspace.create(for: lab, in: directory)
                print("wrote \(files.count) files in \(directory):")
                for file in files { print("  \(file)") }
                print("edit actions.lua, then: labengine run \(lab.id) --actions \(directory)/actions.lua")
            } catch let error as LabError {
                Diagnostics.error(error.description)
                throw ExitCode(2)
            }
        }
    }
}
