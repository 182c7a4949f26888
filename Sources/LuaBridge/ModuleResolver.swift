import Foundation

/// Finds the `.lua` file of a `require`d module inside a fixed list of folders, and
/// nowhere else: no absolute paths, no `..`, no symbolic link that leads outside.
struct ModuleResolver {
    let roots: [String]
    let files: [String: String]

    init(roots: [String], files: [String: String] = [:]) {
        self.roots = roots.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
        self.files = files
    }

    /// The module's source and the path errors should name.
    func resolve(_ name: String) throws -> (source: String, chunkName: String) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !parts.isEmpty && parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        }
        guard valid else {
            throw SandboxError(
                code: "RequireError",
                message: "module name '\(name)' is not allowed: use dotted names of letters, digits, '_' and '-'")
        }
        let relative = parts.joined(separator: "/")
        for candidate in ["\(relative).lua", "\(relative)/init.lua"] {
            if let source = files[candidate] { return (source, candidate) }
        }
        for root in roots {
            for candidate in ["\(relative).lua", "\(relative)/init.lua"] {
                let path = URL(fileURLWithPath: root).appendingPathComponent(candidate)
                    .resolvingSymlinksInPath().path
                guard path.hasPrefix(root + "/"), FileManager.default.fileExists(atPath: path) else { continue }
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                return (String(decoding: data, as: UTF8.self), path)
            }
        }
        let places = (files.isEmpty ? [] : ["the deployment package"]) + roots
        let searched = places.isEmpty ? "no module folders are allowed here" : "searched " + places.joined(separator: ", ")
        throw SandboxError(code: "RequireError", message: "module '\(name)' not found (\(searched))")
    }
}
