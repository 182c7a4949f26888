import CloudSim
import DocumentModel
import Foundation

/// A Lua file's text (a lab or a scenario), to point errors at the line where a name or
/// value appears. Lua keeps no line numbers for table fields, so the text is searched.
struct LabSource {
    let file: String
    let lines: [Substring]

    init(file: String) {
        self.file = file
        let text = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) } ?? ""
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The 1-based line of the `occurrence`-th line containing `needle`, from line `start` on.
    func line(of needle: String, occurrence: Int = 1, from start: Int = 1) -> Int? {
        var seen = 0
        for (i, line) in lines.enumerated() where i + 1 >= start && line.contains(needle) {
            seen += 1
            if seen == occurrence { return i + 1 }
        }
        return nil
    }

    /// The first line from `start` on where `key` is assigned (`key =` or `["key"] =`).
    func line(ofKey key: String, from start: Int = 1) -> Int? {
        for (i, line) in lines.enumerated() where i + 1 >= start {
            var rest = line[...]
            while let range = rest.range(of: key) {
                let before = rest[..<range.lowerBound].last
                let after = rest[range.upperBound...].drop { $0 == " " || $0 == "\"" || $0 == "]" }
                let standsAlone = before.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true
                if standsAlone && after.first == "=" && after.dropFirst().first != "=" { return i + 1 }
                rest = rest[range.upperBound...]
            }
        }
        return line(of: key, from: start)
    }

    func error(_ message: String, near needle: String, occurrence: Int = 1, from start: Int = 1) -> LabError {
        LabError(file: file, line: line(of: needle, occurrence: occurrence, from: start) ?? line(of: needle), message: message)
    }

    /// Refuses the first field of `fields` that `known` does not list, naming its line and
    /// the nearest known field.
    /// - Parameters:
    ///   - what: where the fields are, e.g. "step 'connect'" (the message starts with it).
    ///   - start: the line the entry starts at, so the entry's own line is named.
    func refuseUnknown(_ fields: [String: Document], known: [String], in what: String, from start: Int = 1) throws {
        for key in fields.keys.sorted() where !known.contains(key) {
            var message = "\(what): unknown field '\(key)'"
            if let near = NearestName.find(key, among: known) { message += "; did you mean '\(near)'?" }
            message += " (known fields: \(known.sorted().joined(separator: ", ")))"
            throw LabError(file: file, line: line(ofKey: key, from: start) ?? line(ofKey: key), message: message)
        }
    }
}
