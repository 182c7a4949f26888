import DocumentModel
import CloudSim
import Foundation
import LuaBridge

/// Loads labs from a catalog and checks everything an author can get wrong, naming the
/// file and (where the text shows it) the line.
public struct LabLoader {
    public let catalog: LabCatalog

    public init(catalog: LabCatalog) { self.catalog = catalog }

    static let knownFields = [
        "id", "title", "extends", "region", "account", "plugins", "minutes", "world_age", "start_score", "max_score", "phase", "steps",
        "functions", "world", "scoring", "failures", "passing", "description", "register", "check_every",
        "function_cpu_per_minute",
    ]
    static let stepFields = ["id", "title", "instructions", "check", "solve", "hints", "setup"]
    static let failureFields = ["mode", "phase", "rates", "point"]
    static let scoringFields = ["rule", "params"]

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
        try source.refuseUnknown(fields, known: Self.knownFields, in: "the lab")
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

        if let register = fields["register"] {
            // The lab's own checks, failure modes and scoring rule, named `<lab id>.<name>`.
            guard case .callable(let function) = register else {
                throw source.error("'register' must be a function(r), as a plugin's register is", near: "register")
            }
            try state.plugins.register(id, file: file, with: function, into: state)
        }
        state.attachPluginHelpers()
        let steps = try loadSteps(fields["steps"], source: source, directory: directory, inherited: parent == nil ? [] : [])
        var functions = parent?.functions.mapValues { "../\(parent?.id ?? "")/\($0)" } ?? [:]
        if let map = fields["functions"] {
            guard let entries = map.mapValue else { throw source.error("'functions' must map function names to files", near: "functions") }
            // By name, so of two bad entries the same one is reported in every process.
            for (name, path) in entries.sorted(by: { $0.key < $1.key }) {
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
            let start = source.line(ofKey: "scoring") ?? 1
            try source.refuseUnknown(spec, known: Self.scoringFields, in: "'scoring'", from: start)
            let name = rule.contains(".") ? rule : "\(id).\(rule)"
            guard let registered = state.plugins.scoringRules[name] else {
                let known = state.plugins.scoringRules.keys.sorted()
                var message = "unknown scoring rule '\(rule)'"
                if let near = Self.nearest(name, among: known) { message += "; did you mean '\(near)'?" }
                throw source.error(message + " (registered: \(known.isEmpty ? "none" : known.joined(separator: ", ")))", near: rule)
            }
            scoringRule = registered.function
            scoringParams = spec["params"] ?? [:]
            if let declared = registered.params {
                guard let params = scoringParams.mapValue else { throw source.error("'scoring.params' must be a table", near: "params", from: start) }
                try source.refuseUnknown(params, known: declared, in: "the params of scoring rule '\(name)'", from: start)
            }
        }

        var failures: [FailureSpec] = []
        if let list = fields["failures"] {
            guard let items = list.arrayValue else { throw source.error("'failures' must be a list", near: "failures") }
            let listStart = source.line(ofKey: "failures") ?? 1
            for (index, item) in items.enumerated() {
                guard let spec = item.mapValue, let given = spec["mode"]?.stringValue else {
                    throw source.error("failure \(index + 1) needs mode = \"plugin.mode\"", near: "failures")
                }
                let mode = given.contains(".") ? given : "\(id).\(given)"
                let start = source.line(of: "\"\(given)\"", from: listStart) ?? listStart
                try source.refuseUnknown(spec, known: Self.failureFields, in: "failure '\(given)'", from: start)
                guard let registered = state.plugins.failureModes[mode] else {
                    let known = state.plugins.failureModes.keys.sorted()
                    var message = "unknown failure mode '\(given)'"
                    if let near = Self.nearest(mode, among: known) { message += "; did you mean '\(near)'?" }
                    throw source.error(message + " (registered: \(known.isEmpty ? "none" : known.joined(separator: ", ")))", near: given)
                }
                var rates: [String: (rate: Double, line: Int?)] = [:]
                if let given = spec["rates"], given.mapValue == nil {
                    throw source.error("failure '\(mode)': 'rates' must map function names to probabilities", near: "rates", from: start)
                }
                for (name, rate) in (spec["rates"]?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                    guard let p = rate.doubleValue, (0...1).contains(p) else {
                        throw source.error("failure '\(mode)': the rate of \(name) must be a probability from 0 to 1", near: name, from: start)
                    }
                    rates[name] = (p, source.line(ofKey: name, from: start))
                }
                let point = spec["point"]?.stringValue ?? registered.point
                if let point, !PluginRegistry.points.contains(point) {
                    var message = "failure '\(mode)': point '\(point)' is not one of \(PluginRegistry.points.joined(separator: ", "))"
                    if let near = NearestName.find(point, among: PluginRegistry.points) { message += "; did you mean '\(near)'?" }
                    throw LabError(file: file, line: source.line(ofKey: "point", from: start), message: message)
                }
                if spec["point"] != nil && registered.kind != .invocationError {
                    throw LabError(file: file, line: source.line(ofKey: "point", from: start),
                        message: "failure '\(mode)': only invocation-error modes have a point; this one is \(registered.kind.rawValue)")
                }
                failures.append(FailureSpec(
                    mode: mode, kind: registered.kind, phase: spec["phase"]?.stringValue, rates: rates.mapValues(\.rate),
                    rateLines: rates.compactMapValues(\.line), point: point == "any" ? nil : point, file: file, error: registered.error))
            }
        }

        let maxScore = fields["max_score"] ?? .int(0)
        switch maxScore {
        case .int, .double, .callable: break
        default: throw source.error("'max_score' must be a number or a function(minutes)", near: "max_score")
        }
        return Lab(
            id: id, title: title, summary: try string("description"), directory: directory, file: file, parent: parent,
            region: try string("region", default: parent?.region ?? "us-west-2") ?? "us-west-2",
            accountID: try string("account", default: parent?.accountID ?? "123456789012") ?? "123456789012",
            plugins: pluginNames, minutes: try integer("minutes", default: 10, in: 1...1440),
            worldAge: try integer("world_age", default: parent?.worldAge ?? 0, in: 0...86_400),
            startScore: try integer("start_score", default: 0, in: 0...1_000_000), initialPhase: try string("phase"),
            steps: steps, functions: functions, checkEvery: try integer("check_every", default: parent?.checkEvery ?? 10, in: 1...86_400),
            functionCPUPerMinute: try integer(
                "function_cpu_per_minute", default: parent?.functionCPUPerMinute ?? FunctionCPUBudget.defaultSecondsPerMinute, in: 1...3600),
            world: try function("world"), maxScore: maxScore, passing: try function("passing"),
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
            let start = source.line(of: near) ?? 1
            try source.refuseUnknown(fields, known: Self.stepFields, in: "step '\(id)'", from: start)
            guard let title = fields["title"]?.stringValue else { throw source.error("step '\(id)' has no 'title'", near: near) }
            guard case .callable(let check)? = fields["check"] else {
                throw source.error("step '\(id)' has no 'check' function (check(ctx) returns passed, message)", near: near)
            }
            func function(_ name: String) throws -> (any DocumentCallable)? {
                guard let value = fields[name] else { return nil }
                guard case .callable(let f) = value else {
                    throw LabError(file: source.file, line: source.line(ofKey: name, from: start), message: "step '\(id)': '\(name)' must be a function(aws)")
                }
                return f
            }
            let solve = try function("solve")
            let setup = try function("setup")
            var instructions = fields["instructions"]?.stringValue ?? ""
            if instructions.hasSuffix(".md"), !instructions.contains("\n") {
                let path = URL(fileURLWithPath: directory).appendingPathComponent(instructions).path
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw source.error("step '\(id)': instructions file \(instructions) not found in \(directory)", near: instructions)
                }
                instructions = String(decoding: data, as: UTF8.self)
            }
            var hints: [Hint] = []
            if let h = fields["hints"] {
                guard let parsed = Hint.parse(h) else {
                    throw LabError(file: source.file, line: source.line(ofKey: "hints", from: start),
                        message: "step '\(id)': 'hints' must be a list of levels (strings, from a nudge to the answer) or map hint names to such lists")
                }
                hints = parsed
            }
            steps.append(Step(id: id, title: title, instructions: instructions, hints: hints, check: check, solve: solve, setup: setup))
        }
        return steps
    }

    /// The registered `plugin.name` nearest a misspelt one, comparing names within the same plugin.
    static func nearest(_ qualified: String, among known: [String]) -> String? {
        let plugin = qualified.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        let name = String(qualified.dropFirst(plugin.count + 1))
        let siblings = known.filter { $0.hasPrefix(plugin + ".") }
        return NearestName.find(name, among: siblings.map { String($0.dropFirst(plugin.count + 1)) }).map { "\(plugin).\($0)" }
    }
}
