import DocumentModel
import Foundation
import LuaBridge

/// The engine's fault primitives that plugins parameterise.
enum FaultKind: String, CaseIterable {
    /// An invocation fails before, between the SDK calls of, or after its handler.
    case invocationError = "invocation-error"
    /// A processed stream batch is delivered once more.
    case duplicateDelivery = "duplicate-delivery"
    /// One of the function's SDK calls to a service gets an error (a throttling error the
    /// SDK's retries did not get past) instead of its answer.
    case sdkError = "sdk-error"
    /// An invocation is throttled although concurrency is free.
    case throttle
}

/// The error an `sdk-error` failure mode gives a service's calls.
struct SDKFault: Equatable {
    let code: String
    let message: String
    let service: String
}

/// What plugins registered, each entry named `plugin.name` and remembering its source.
final class PluginRegistry {
    /// The version of the plugin API this engine provides.
    static let apiVersion = 1

    struct FailureMode {
        let kind: FaultKind
        let point: String?
        /// For `sdk-error`: the error the call gets and the service whose calls get it.
        let error: SDKFault?
        let description: String
        let source: String
    }

    let directory: String
    private(set) var loaded: [String: (version: String, file: String)] = [:]
    private(set) var failureModes: [String: FailureMode] = [:]
    /// Scoring rules, with the parameters each declared (nil: it declared none, any are passed).
    private(set) var scoringRules: [String: (function: any DocumentCallable, params: [String]?, source: String)] = [:]
    private(set) var reporters: [String: (function: any DocumentCallable, source: String)] = [:]
    private(set) var checkHelpers: [String: [String: Document]] = [:]
    private var sources: [String: String] = [:]

    init(directory: String) { self.directory = directory }

    /// Loads `plugins/<name>/plugin.lua` into `state` and lets it register.
    /// - Parameter requirement: `name` or `name@version`.
    func load(_ requirement: String, into state: LabState, labFile: String, line: Int?) throws {
        let parts = requirement.split(separator: "@", maxSplits: 1).map(String.init)
        let name = parts[0]
        guard loaded[name] == nil else { return }
        let file = URL(fileURLWithPath: directory).appendingPathComponent(name).appendingPathComponent("plugin.lua").path
        guard FileManager.default.fileExists(atPath: file) else {
            let known = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.sorted().filter {
                FileManager.default.fileExists(atPath: URL(fileURLWithPath: directory).appendingPathComponent($0).appendingPathComponent("plugin.lua").path)
            } ?? []
            throw LabError(
                file: labFile, line: line,
                message: "unknown plugin '\(name)' (no \(file); plugins found: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        let value = try state.evaluate(file: file)
        guard case .map(let fields) = value else {
            throw LabError(file: file, message: "plugin.lua must return a table { name, version, api = 1, register = function(r) … end }")
        }
        guard fields["name"]?.stringValue == name else {
            throw LabError(file: file, message: "the plugin's name must be '\(name)', its folder name")
        }
        guard let version = fields["version"]?.stringValue else {
            throw LabError(file: file, message: "the plugin has no 'version' (a string such as \"1.0\")")
        }
        guard let api = fields["api"]?.intValue else {
            throw LabError(file: file, message: "the plugin has no 'api' number (this engine provides api = \(Self.apiVersion))")
        }
        guard api == Self.apiVersion else {
            throw LabError(file: file, message: "plugin '\(name)' needs plugin API \(api), but this engine provides API \(Self.apiVersion)")
        }
        if parts.count == 2, !(version == parts[1] || version.hasPrefix(parts[1] + ".")) {
            throw LabError(
                file: labFile, line: line,
                message: "the lab needs plugin '\(name)' version \(parts[1]), but \(file) is version \(version)")
        }
        loaded[name] = (version, file)
        guard case .callable(let register)? = fields["register"] else {
            throw LabError(file: file, message: "the plugin has no register(r) function")
        }
        try self.register(name, file: file, with: register, into: state)
    }

    /// Lets `register(r)` (a plugin's, or a lab's own) register under `name`.
    func register(_ name: String, file: String, with register: any DocumentCallable, into state: LabState) throws {
        let registry = makeRegistry(name: name, file: file, state: state)
        do {
            _ = try register.call([registry])
        } catch let error as LuaError {
            throw LabError(error, file: file)
        }
    }

    /// Where an invocation-error failure mode may strike.
    static let points = ["before", "between", "after", "any"]

    private func claim(_ qualified: String, file: String) throws {
        if let previous = sources[qualified] {
            throw EngineError(code: "DuplicateRegistration", message: "'\(qualified)' is registered twice: by \(previous) and by \(file)")
        }
        sources[qualified] = file
    }

    private func makeRegistry(name: String, file: String, state: LabState) -> Document {
        let lua = state.lua
        let failureMode = lua.makeFunction { [unowned self] args in
            guard let spec = args.first?.mapValue, let mode = spec["name"]?.stringValue else {
                throw EngineError(code: "InvalidPlugin", message: "r.failure_mode expects { name = …, kind = … }")
            }
            guard let kindName = spec["kind"]?.stringValue, let kind = FaultKind(rawValue: kindName) else {
                throw EngineError(
                    code: "InvalidPlugin",
                    message: "failure mode '\(mode)': kind must be one of \(FaultKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var error: SDKFault?
            if kind == .sdkError {
                guard let code = spec["error"]?.stringValue, let service = spec["service"]?.stringValue else {
                    throw EngineError(
                        code: "InvalidPlugin",
                        message: "failure mode '\(mode)': an sdk-error mode names its error = \"Code\", message = \"…\" and service = \"dynamodb\"")
                }
                error = SDKFault(code: code, message: spec["message"]?.stringValue ?? code, service: service)
            }
            let point = spec["point"]?.stringValue
            if let point, !Self.points.contains(point) {
                throw EngineError(code: "InvalidPlugin", message: "failure mode '\(mode)': point must be before, between, after or any")
            }
            try self.claim("\(name).\(mode)", file: file)
            self.failureModes["\(name).\(mode)"] = FailureMode(
                kind: kind, point: point == "any" ? nil : point, error: error, description: spec["description"]?.stringValue ?? "", source: file)
            return []
        }
        let scoring = lua.makeFunction { [unowned self] args in
            guard args.count >= 2, let rule = args[0].stringValue, case .callable(let function) = args[1] else {
                throw EngineError(code: "InvalidPlugin", message: "r.scoring expects (name, function(run, params) … end[, { params = { names… } }])")
            }
            var params: [String]?
            if args.count >= 3, let declared = args[2]["params"] {
                guard let list = declared.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                    throw EngineError(code: "InvalidPlugin", message: "r.scoring: params must list the rule's parameter names")
                }
                params = list.compactMap(\.stringValue)
            }
            try self.claim("\(name).\(rule)", file: file)
            self.scoringRules["\(name).\(rule)"] = (function, params, file)
            return []
        }
        let reporter = lua.makeFunction { [unowned self] args in
            guard args.count >= 2, let reporterName = args[0].stringValue, case .callable(let function) = args[1] else {
                throw EngineError(code: "InvalidPlugin", message: "r.reporter expects (name, function(report) … end)")
            }
            try self.claim("\(name).\(reporterName)", file: file)
            self.reporters["\(name).\(reporterName)"] = (function, file)
            return []
        }
        let check = lua.makeFunction { [unowned self] args in
            guard args.count >= 2, let helper = args[0].stringValue, case .callable = args[1] else {
                throw EngineError(code: "InvalidPlugin", message: "r.check expects (name, function(ctx, …) … end)")
            }
            try self.claim("\(name).\(helper)", file: file)
            self.checkHelpers[name, default: [:]][helper] = args[1]
            return []
        }
        return [
            "failure_mode": .callable(failureMode), "scoring": .callable(scoring), "reporter": .callable(reporter),
            "check": .callable(check), "plugin": .string(name), "api": .int(Int64(Self.apiVersion)),
        ]
    }
}
