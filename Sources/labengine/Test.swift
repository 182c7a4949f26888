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

        @Option(name: .long, help: "Labs to test at once (default: the cores this machine has).") var jobs = Parallel.cores

        func validate() throws {
            if seeds < 1 { throw ValidationError("--seeds must be at least 1") }
            if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        }

        func run() throws {
            let catalog = LabCatalog(directory: options.labs, pluginsDirectory: options.plugins)
            guard catalog.exists else {
                Diagnostics.error("no labs folder at '\(catalog.directory)' (use --labs DIR)")
                throw ExitCode(2)
            }
            let ids = labs.isEmpty ? catalog.labIDs() : labs
            var failed = 0
            var passed = 0
            // Each lab's self-test loads its own lab and worlds, so labs run side by side; their
            // lines are printed lab by lab, in the order given.
            let (directory, plugins, seedList) = (catalog.directory, catalog.pluginsDirectory, (1...seeds).map { UInt64($0) })
            if ids.count == 1 || jobs == 1 {
                // One at a time: each line as it comes.
                for id in ids {
                    let outcome = SelfTest(catalog: catalog, commands: CommandRunner(timeout: 600, shown: nil), seeds: seedList).run(id) { print($0) }
                    passed += outcome.passed
                    failed += outcome.failed
                }
            } else {
                _ = Parallel.run(ids.count, jobs: jobs, { index in
                    var lines: [String] = []
                    let tester = SelfTest(
                        catalog: LabCatalog(directory: directory, pluginsDirectory: plugins), commands: CommandRunner(timeout: 600, shown: nil),
                        seeds: seedList)
                    let outcome = tester.run(ids[index]) { lines.append($0) }
                    return SelfTestLines(lines: lines, passed: outcome.passed, failed: outcome.failed)
                }, finished: { _, outcome in
                    for line in outcome.lines { print(line) }
                    passed += outcome.passed
                    failed += outcome.failed
                })
            }
            print("\(passed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}

/// One lab's self-test, as printed.
struct SelfTestLines: Sendable {
    let lines: [String]
    let passed: Int
    let failed: Int
}
