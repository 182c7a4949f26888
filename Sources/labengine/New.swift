import ArgumentParser
import Foundation
import LabEngine

extension Labengine {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Writes a small working lab to start from (it passes `labengine test`).")

        @OptionGroup var options: LabsOptions
        @Argument(help: "The new lab's id (its folder name).") var lab: String

        func run() throws {
            do {
                let files = try LabSkeleton.create(id: lab, in: options.labs)
                print("wrote \(files.count) files in \(options.labs):")
                for file in files { print("  \(file)") }
                print("check it: labengine test \(lab)\(options.labs == "labs" ? "" : " --labs \(options.labs)")")
            } catch let error as LabError {
                Diagnostics.error(error.description)
                throw ExitCode(2)
            }
        }
    }
}
