import ArgumentParser
import CloudSim
import Foundation
import LabEngine

/// Messages for people, on standard error, and the loading every command shares.
enum Diagnostics {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("labengine: error: \(message)\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("labengine: warning: \(message)\n".utf8))
    }

    /// Loads a lab, or reports why not and exits with 2.
    static func loadLab(_ id: String, _ options: LabsOptions) throws -> Lab {
        let catalog = LabCatalog(directory: options.labs, pluginsDirectory: options.plugins)
        guard catalog.exists else {
            error("no labs folder at '\(catalog.directory)' (use --labs DIR)")
            throw ExitCode(2)
        }
        do {
            return try LabLoader(catalog: catalog).load(id)
        } catch let failure as LabError {
            error(failure.description)
            throw ExitCode(2)
        }
    }

    /// Runs a lab, turning the author's script errors into exit code 2.
    static func run(
        _ lab: Lab, actions: Actions, seed: UInt64, minutes: Int?, seconds: Int? = nil, commands: (any CommandHost)? = nil,
        printed: ((String) -> Void)? = nil, progress: ((VirtualTimeProgress) -> Void)? = nil
    ) throws -> RunResult {
        do {
            return try LabRunner(lab: lab, commands: commands, printed: printed).run(actions: actions, seed: seed, minutes: minutes, seconds: seconds, progress: progress.map { report in
                { time, score, world in report(VirtualTimeProgress(seconds: time.seconds, score: score, world: world)) }
            })
        } catch let failure as LabError {
            error(failure.description)
            throw ExitCode(2)
        }
    }

    /// Writes text to a file or standard output.
    static func emit(_ text: String, to path: String?) throws {
        if let path {
            do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                self.error("cannot write \(path): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// Progress of a run, for displays.
struct VirtualTimeProgress {
    let seconds: Double
    let score: Int
    let world: World
}

/// What the learner brings: actions files, commands, or the reference solution.
struct ActionOptions: ParsableArguments {
    @Option(name: .long, help: "An actions file (Lua) to apply; repeat for several, applied in order.")
    var actions: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "A command (AWS CLI or boto3 script) to run against the account's endpoint before time starts; repeatable.",
        discussion: "It gets AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION. Its sleep and Python's time.sleep let virtual time pass and return at once. --exec and --actions run in the order given."))
    var exec: [String] = []

    @Option(name: .long, help: "Wall seconds an --exec command may run before it is stopped.")
    var execTimeout: Double = 600

    @Flag(name: .long, help: "Apply the lab's reference solution instead of actions files.")
    var solution = false

    func validate() throws {
        if solution && !(actions.isEmpty && exec.isEmpty) { throw ValidationError("use either --actions/--exec or --solution, not both") }
        if execTimeout <= 0 { throw ValidationError("--exec-timeout must be more than 0") }
        for file in actions where !FileManager.default.fileExists(atPath: file) {
            throw ValidationError("actions file '\(file)' does not exist")
        }
    }

    var value: Actions {
        if solution { return .solution }
        if exec.isEmpty { return actions.isEmpty ? .none : .files(actions) }
        return .learner(solvedSteps: 0, Self.inOrder(actions: actions, exec: exec, arguments: CommandLine.arguments))
    }

    /// The `--exec` timeout when commands are to run (what a job needs to make its own runner).
    var commandSettings: Double? { exec.isEmpty ? nil : execTimeout }

    /// Whatever runs `--exec`, when anything is to.
    func commands(shown: ((CommandOutcome) -> Void)? = nil) -> (any CommandHost)? {
        exec.isEmpty ? nil : CommandRunner(timeout: execTimeout, shown: shown)
    }

    /// Actions files and commands in the order the command line gives them.
    static func inOrder(actions: [String], exec: [String], arguments: [String]) -> [LearnerStep] {
        var steps: [LearnerStep] = []
        var a = actions.makeIterator()
        var e = exec.makeIterator()
        for argument in arguments {
            if argument == "--actions" || argument.hasPrefix("--actions=") {
                if let file = a.next() { steps.append(.actions(file)) }
            } else if argument == "--exec" || argument.hasPrefix("--exec=") {
                if let command = e.next() { steps.append(.command(command)) }
            }
        }
        while let file = a.next() { steps.append(.actions(file)) }
        while let command = e.next() { steps.append(.command(command)) }
        return steps
    }
}
