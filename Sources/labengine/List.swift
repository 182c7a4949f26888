import ArgumentParser
import LabEngine

extension Labengine {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the labs found under the labs folder.")

        @OptionGroup var options: LabsOptions

        func run() throws {
            let catalog = LabCatalog(directory: options.labs, pluginsDirectory: options.plugins)
            guard catalog.exists else {
                Diagnostics.error("no labs folder at '\(catalog.directory)' (looked there; use --labs DIR)")
                throw ExitCode(2)
            }
            var failed = false
            let entries = catalog.summaries()
            if entries.isEmpty { print("no labs under \(catalog.directory)") }
            for entry in entries {
                switch entry.result {
                case .success(let lab):
                    print("\(lab.id)\t\(lab.title)")
                    if let summary = lab.summary { print("\t\(summary)") }
                case .failure(let error):
                    failed = true
                    print("\(entry.id)\t(does not load)")
                    Diagnostics.error(error.description)
                }
            }
            if failed { throw ExitCode(2) }
        }
    }
}
