import ArgumentParser
import Foundation
import LabEngine

extension Labengine {
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The lab author's self-test: steps, scores, determinism and the lab's tests/*.lua scenarios.")

        @OptionGroup var options: LabsOptions
        @Argument(help: "Labs to test (default: all).") var labs: [String] = []
        @Option(name: .long, help: "Run every assertion under this many seeds (1…N): steps that depend on injected failures need it.")
        var seeds: Int = 1

        @OptionGroup var parallel: ParallelOptions

        func validate() throws {
            if seeds < 1 { throw ValidationError("--seeds must be at least 1") }
        }

        func run() throws {
            let catalog = LabCatalog(directory: options.labs, pluginsDirectory: options.plugins)
            guard catalog.exists else {
                Diagnostics.error("no labs folder at '\(catalog.directory)' (use --labs DIR)")
                throw ExitCode(2)
            }
            let ids = labs.isEmpty ? catalog.labIDs() : labs
            // Every run of every lab is a job of its own; the lines come lab by lab, in the order given.
            let tester = SelfTest(
                catalog: catalog, commands: { CommandRunner(timeout: 600, shown: nil) }, seeds: (1...seeds).map { UInt64($0) },
                jobs: parallel.jobs, memory: parallel.budget)
            let (passed, failed) = tester.run(ids) { print($0) }
            print("\(passed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
