import ArgumentParser

@main
struct Labengine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labengine",
        abstract: "Runs hands-on cloud labs offline, in virtual time, and grades them.",
        version: "0.1.0",
        subcommands: [List.self]
    )
}

/// Where labs are found; shared by every command.
struct LabsOptions: ParsableArguments {
    @Option(name: .long, help: "The labs folder.")
    var labs: String = "labs"

    @Option(name: .long, help: "The plugins folder (default: 'plugins' next to the labs folder).")
    var plugins: String?
}
