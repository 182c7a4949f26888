import DocumentModel
import Foundation
import LuaBridge

/// Loads labs from a catalog and checks everything an author can get wrong, naming the
/// file and (where the text shows it) the line.
public struct LabLoader {
    public let catalog: LabCatalog

    public init(catalog: LabCatalog) { self.catalog = catalog }

    static let knownFields: Set<String> = [
        "id", "title", "extends", "region", "account", "plugins", "minutes", "world_age", "start_score", "max_score", "phase", "steps",
        "functions", "world", "scoring", "failures", "passing", "description",
    ]

    /// Loads a lab (and the labs it extends).
    /// - Throws: ``LabError``: unknown lab (listing the known ones), or what is wrong in it.
    public func load(_ id: String) throws -> Lab {
        try load(id, visiting: [])
    }

    private func load(_ id: String, visiting: [String]) throws -> Lab {
        guard catalog.labIDs().contains(id) else {
            let known = catalog.labIDs()
            throw LabError(
                file: nil,
                message: "unknown lab '\(id)' under \(catalog.directory) (known labs: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        let file = catalog.labFile(for: id)
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let source = LabSource(file: file)
        let state = try LabState(directory: directory, pluginsDirectory: catalog.pluginsDirectory)
        let value = try state.evaluate(file: file)
        guard case .map(let fields) = value else {
            throw LabError(file: file, message: "lab.lua must return a table, not a \(value.kindName)")
        }
        for key in fields.keys.sorted() where !Self.knownFields.contains(key) {
            throw source.error("unknown field '\(key)' (known fields: \(Self.knownFields.sorted().joined(separator: ", ")))", near: key)
        }
        func string(_ name: String, default fallback: String? = nil) throws -> String? {
            guard let v = fields[name] else { return fallback }
            guard let s = v.stringValue else { throw source.error("'\(name)' must be a string, not a \(v.kindName)", near: name) }
            return s
        }
        func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
            guard let v = fields[name] else { return fallback }
            guard let i = v.intValue, range.contains(Int(i)) else {
                throw source.error("'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)", near: name)
            }
            return Int(i)
        }
        func function(_ name: String) throws -> (any DocumentCallable)? {
            guard let v = fields[name] else { return nil }
            guard case .callable(let f) = v else { throw source.error("'\(name)' must be a function, not a \(v.kindName)", near: name) }
            return f
        }

        if let declared = try string("id"), declared != id {
            throw source.error("the lab's id '\(declared)' differs from its folder name '\(id)'", near: "id")
        }
        guard let title = try string("title"), !title.isEmpty else {
            throw LabError(file: file, line: nil, message: "the lab has no 'title' (a string)")
        }
        var parent: Lab?
        if let extends = try string("extends") {
            if visiting.contains(extends) || extends == id {
                throw source.error("'extends' makes a cycle: \((visiting + [id, extends]).joined(separator: " → "))", near: "extends")
            }
            guard catalog.labIDs().contains(extends) else {
                throw source.error("'extends' names an unknown lab '\(extends)'", near: "extends")
            }
            parent = try load(extends, visiting: visiting + [id])
        }

        var pluginNames: [String] = []
        if let list = fields["plugins"] {
            guard let items = list.arrayValue else { throw source.error("'plugins' must be a list of plugin names", near: "plugins") }
            for item in items {
                guard let name = item.stringValue else { throw source.error("'plugins' must list names (strings)", near: "plugins") }
                try state.plugins.load(name, into: state, labFile: file, line: source.line(of: "\"\(name)\""))
                pluginNames.append(name.split(separator: "@").first.map(String.init) ?? name)
            }
        }

        state.attachPluginHelpers()
        let steps = try loadSteps(fields["steps"], source: source, directory: directory, inherited: parent == nil ? [] : [])
        var functions = parent?.functions.mapValues { "../\(parent?.id ?? "")/\($0)" } ?? [:]
        if let map = fields["functions"] {
            guard let entries = map.mapValue else { throw source.error("'functions' must map function names to files", near: "functions") }
            for (name, path) in entries {
                guard let relative = path.stringValue else { throw source.error("functions.\(name) must be a file path", near: name) }
                let full = URL(fileURLWithPath: directory).appendingPathComponent(relative).path
                guard FileManager.default.fileExists(atPath: full) else {
                    throw source.error("functions.\(name): no file \(relative) in \(directory)", near: relative)
                }
                functions[name] = relative
            }
        }

        var scoringRule: (any DocumentCallable)?
        var scoringParams: Document = [:]
        if let scoring = fields["scoring"] {
            guard let spec = scoring.mapValue, let rule = spec["rule"]?.stringValue else {
                throw source.error("'scoring' must be { rule = \"plugin.rule\", params = { … } }", near: "scoring")
            }
            guard let registered = state.plugins.scoringRules[rule] else {
                let known = state.plugins.scoringRules.keys.sorted()
                throw source.error("unknown scoring rule '\(rule)' (registered: \(known.isEmpty ? "none" : known.joined(separator: ", ")))", near: rule)
            }
            scoringRule = registered.function
            scoringParams = spec["params"] ?? [:]
        }

        var failures: [FailureSpec] = []
        if let list = fields["failures"] {
            guard let items = list.arrayValue else { throw source.error("'failures' must be a list", near: "failures") }
            for item in items {
                guard let spec = item.mapValue, let mode = spec["mode"]?.stringValue else {
                    throw source.error("each failure needs mode = \"plugin.mode\"", near: "failures")
                }
                guard let registered = state.plugins.failureModes[mode] else {
                    let known = state.plugins.failureModes.keys.sorted()
                    throw source.error("unknown failure mode '\(mode)' (registered: \(known.isEmpty ? "none" : known.joined(separator: ", ")))", near: mode)
                }
                var rates: [String: Double] = [:]
                for (name, rate) in spec["rates"]?.mapValue ?? [:] {
                    guard let p = rate.doubleValue, (0...1).contains(p) else {
                        throw source.error("failure '\(mode)': the rate of \(name) must be a probability from 0 to 1", near: name)
                    }
                    rates[name] = p
                }
                let point = spec["point"]?.stringValue ?? registered.point
                failures.append(FailureSpec(mode: mode, kind: registered.kind, phase: spec["phase"]?.stringValue, rates: rates, point: point == "any" ? nil : point))
            }
        }

        let maxScore = fields["max_score"] ?? .int(0)
        switch maxScore {
        case .int, .double, .callable: break
        default: throw source.error("'max_score' must be a number or a function(minutes)", near: "max_score")
        }
        return Lab(
            id: id, title: title, directory: directory, file: file, parent: parent,
            region: try string("region", default: parent?.region ?? "us-west-2") ?? "us-west-2",
            accountID: try string("account", default: parent?.accountID ?? "123456789012") ?? "123456789012",
            plugins: pluginNames, minutes: try integer("minutes", default: 10, in: 1...1440),
            worldAge: try integer("world_age", default: parent?.worldAge ?? 0, in: 0...86_400),
            startScore: try integer("start_score", default: 0, in: 0...1_000_000), initialPhase: try string("phase"),
            steps: steps, functions: functions, world: try function("world"), maxScore: maxScore, passing: try function("passing"),
            scoringRule: scoringRule, scoringParams: scoringParams, failures: failures, state: state)
    }

    private func loadSteps(_ value: Document?, source: LabSource, directory: String, inherited: [Step]) throws -> [Step] {
        guard let list = value?.arrayValue, !list.isEmpty else {
            throw source.error("the lab has no 'steps' (a list of { id, title, instructions, check, solve, hints })", near: "steps")
        }
        var steps: [Step] = []
        var seen = Set<String>()
        for (index, entry) in list.enumerated() {
            guard let fields = entry.mapValue else { throw source.error("step \(index + 1) must be a table", near: "steps") }
            guard let id = fields["id"]?.stringValue, !id.isEmpty else {
                throw source.error("step \(index + 1) has no 'id' (a stable string)", near: "steps")
            }
            let near = "\"\(id)\""
            guard seen.insert(id).inserted else { throw source.error("duplicate step id '\(id)'", near: near, occurrence: 2) }
            guard let title = fields["title"]?.stringValue else { throw source.error("step '\(id)' has no 'title'", near: near) }
            guard case .callable(let check)? = fields["check"] else {
                throw source.error("step '\(id)' has no 'check' function (check(ctx) returns passed, message)", near: near)
            }
            var solve: (any DocumentCallable)?
            if let value = fields["solve"] {
                guard case .callable(let f) = value else { throw source.error("step '\(id)': 'solve' must be a function(aws)", near: near) }
                solve = f
            }
            var instructions = fields["instructions"]?.stringValue ?? ""
            if instructions.hasSuffix(".md"), !instructions.contains("\n") {
                let path = URL(fileURLWithPath: directory).appendingPathComponent(instructions).path
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw source.error("step '\(id)': instructions file \(instructions) not found in \(directory)", near: instructions)
                }
                instructions = String(decoding: data, as: UTF8.self)
            }
            var hints: [String] = []
            if let h = fields["hints"] {
                guard let items = h.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                    throw source.error("step '\(id)': 'hints' must be a list of strings", near: near)
                }
                hints = items.compactMap(\.stringValue)
            }
            steps.append(Step(id: id, title: title, instructions: instructions, hints: hints, check: check, solve: solve))
        }
        return steps
    }
}

/// A lab file's text, to point errors at the line where a name or value appears.
struct LabSource {
    let file: String
    let lines: [Substring]

    init(file: String) {
        self.file = file
        let text = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) } ?? ""
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The 1-based line of the `occurrence`-th line containing `needle`.
    func line(of needle: String, occurrence: Int = 1) -> Int? {
        var seen = 0
        for (i, line) in lines.enumerated() where line.contains(needle) {
            seen += 1
            if seen == occurrence { return i + 1 }
        }
        return nil
    }

    func error(_ message: String, near needle: String, occurrence: Int = 1) -> LabError {
        LabError(file: file, line: line(of: needle, occurrence: occurrence) ?? line(of: needle), message: message)
    }
}
