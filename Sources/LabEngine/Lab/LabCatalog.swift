import DocumentModel
import Foundation
import LuaBridge

/// A lab as `list` shows it.
public struct LabSummary: Equatable, Sendable {
    /// The lab's folder name, which is how commands name it.
    public let id: String
    public let title: String
    /// The lab's `description`, when it has one.
    public let summary: String?
    /// Path of its `lab.lua`.
    public let path: String
}

/// The labs under a labs folder (`labs/<id>/lab.lua`).
public struct LabCatalog: Sendable {
    /// The labs folder.
    public let directory: String
    /// The plugins folder, next to the labs folder by default.
    public let pluginsDirectory: String

    public init(directory: String, pluginsDirectory: String? = nil) {
        self.directory = directory
        self.pluginsDirectory =
            pluginsDirectory ?? URL(fileURLWithPath: directory).deletingLastPathComponent().appendingPathComponent("plugins").path
    }

    /// Whether the labs folder exists.
    public var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Lab ids found (folders holding a `lab.lua`), sorted.
    public func labIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: labFile(for: $0)) }.sorted()
    }

    /// The path of a lab's `lab.lua`.
    public func labFile(for id: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(id).appendingPathComponent("lab.lua").path
    }

    /// Each lab's id and title, or the error that kept it from loading; one bad lab
    /// does not hide the others.
    public func summaries() -> [(id: String, result: Result<LabSummary, LabError>)] {
        labIDs().map { id in (id, Result { try summary(of: id) }.mapError { $0 as? LabError ?? LabError(file: labFile(for: id), message: "\($0)") }) }
    }

    /// Loads just enough of a lab to name it.
    public func summary(of id: String) throws -> LabSummary {
        let path = labFile(for: id)
        let table = try LabScript.evaluate(file: path, moduleRoots: [URL(fileURLWithPath: path).deletingLastPathComponent().path, pluginsDirectory])
        guard case .map(let fields) = table else {
            throw LabError(file: path, message: "lab.lua must return a table, not a \(table.kindName)")
        }
        guard let title = fields["title"]?.stringValue, !title.isEmpty else {
            throw LabError(file: path, message: "the lab has no 'title' (a string)")
        }
        if let declared = fields["id"]?.stringValue, declared != id {
            throw LabError(file: path, message: "the lab's id '\(declared)' differs from its folder name '\(id)'")
        }
        return LabSummary(id: id, title: title, summary: fields["description"]?.stringValue, path: path)
    }
}

/// Runs an author's Lua file in a fresh sandbox and returns its value.
enum LabScript {
    static func evaluate(file path: String, moduleRoots: [String]) throws -> Document {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabError(file: path, message: "cannot read the file")
        }
        let state = try LuaState(options: SandboxOptions(moduleRoots: moduleRoots))
        do {
            let results = try state.run(String(decoding: data, as: UTF8.self), chunkName: path)
            return results.first ?? .null
        } catch {
            throw LabError(error, file: path)
        }
    }
}
