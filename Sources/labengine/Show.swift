import ArgumentParser
import Foundation
import LabEngine

extension Labengine {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a lab's steps and instructions, or a function's code.")

        @OptionGroup var options: LabsOptions
        @Argument(help: "The lab.") var lab: String
        @Argument(help: "A step id (default: all steps).") var step: String?
        @Option(name: .long, help: "Print the code of this function instead.") var function: String?

        func run() throws {
            let lab = try Diagnostics.loadLab(self.lab, options)
            if let function {
                guard let path = lab.functions[function] else {
                    Diagnostics.error("lab '\(lab.id)' has no function '\(function)' (functions: \(lab.functions.keys.sorted().joined(separator: ", ")))")
                    throw ExitCode(2)
                }
                let full = URL(fileURLWithPath: lab.directory).appendingPathComponent(path).path
                guard let data = FileManager.default.contents(atPath: full) else {
                    Diagnostics.error("cannot read \(full)")
                    throw ExitCode(2)
                }
                print(String(decoding: data, as: UTF8.self), terminator: "")
                return
            }
            if let step {
                guard let found = lab.steps.first(where: { $0.id == step }) else {
                    Diagnostics.error("lab '\(lab.id)' has no step '\(step)' (steps: \(lab.steps.map(\.id).joined(separator: ", ")))")
                    throw ExitCode(2)
                }
                print(found.instructions)
                if !found.hints.isEmpty { print("stuck? `labengine hint \(lab.id) \(found.id)` gives a hint, a level at a time") }
                return
            }
            print("\(lab.id): \(lab.title)\(lab.parent.map { " (starts from \($0.id) solved)" } ?? "")\n")
            if let summary = lab.summary { print("\(summary)\n") }
            for (index, step) in lab.steps.enumerated() { print("\(index + 1). \(step.title) [\(step.id)]") }
            print("\nfunctions: \(lab.functions.keys.sorted().joined(separator: ", "))")
            print("run `labengine show \(lab.id) STEP` for a step's instructions")
        }
    }
}
