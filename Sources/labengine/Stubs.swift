import ArgumentParser
import LabEngine

extension Labengine {
    struct Stubs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints LuaLS annotations for aws.* (docs/api/aws.lua is this output).")

        func run() throws { print(LabEngine.Stubs.aws(), terminator: "") }
    }
}
