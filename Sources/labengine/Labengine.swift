import ArgumentParser
import Foundation

@main
struct Labengine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labengine",
        abstract: "Runs hands-on cloud labs offline, in virtual time, and grades them.",
        discussion: "Exit codes: 0 success, 1 a check or grade failed, 2 usage, input or script error.",
        version: "0.1.0",
        subcommands: [List.self, Show.self, Init.self, New.self, Run.self, HintCommand.self, Inspect.self, Grade.self, Test.self, Serve.self, Act.self, Stubs.self]
    )

    /// Usage errors exit with 2, as every other input error does.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Where labs and plugins are found; shared by every command.
struct LabsOptions: ParsableArguments {
    @Option(name: .long, help: "The labs folder.")
    var labs: String = "labs"

    @Option(name: .long, help: "The plugins folder (default: 'plugins' next to the labs folder).")
    var plugins: String?
}
