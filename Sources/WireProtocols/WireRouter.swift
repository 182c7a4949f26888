import CloudSim
import DocumentModel

/// Finds the operation a request is for, the way each protocol names it: the
/// `X-Amz-Target` header (awsJson), the `Action` and `Version` of a form (query), or the
/// method and path against the model's URI templates (restJson1).
struct WireRouter {
    let registry: ServiceRegistry
    /// restJson1 operations with their parsed URI templates, most literal segments first.
    private let restRoutes: [(template: URITemplate, operation: OperationDescriptor)]

    init(registry: ServiceRegistry) {
        self.registry = registry
        var routes: [(URITemplate, OperationDescriptor)] = []
        for model in registry.models.values.sorted(by: { $0.service < $1.service }) where model.wireProtocol == .restJSON {
            for operation in model.operations.values.sorted(by: { $0.name < $1.name }) {
                routes.append((URITemplate(operation.requestURI), operation))
            }
        }
        restRoutes = routes.sorted { $0.0.literalCount > $1.0.literalCount }
    }

    /// A request resolved to its operation.
    struct Route {
        let model: ServiceModel
        let operation: OperationDescriptor
        /// Path parameters of a REST request, decoded.
        let pathParameters: [String: String]
        /// The query protocol's parameters (form body and query string), decoded.
        let form: [String: String]
    }

    /// - Throws: ``WireFault`` with the protocol's code for an unknown target, action or path.
    func route(_ request: WireRequest) throws(WireFault) -> Route {
        if let target = request.header("X-Amz-Target") {
            return try routeTarget(target)
        }
        // A REST path first: clients send form content types with other bodies too.
        let path = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        for (template, operation) in restRoutes where operation.httpMethod == request.method {
            if let parameters = template.match(path) {
                return Route(model: registry.model(operation.service), operation: operation, pathParameters: parameters, form: [:])
            }
        }
        let contentType = request.header("Content-Type")?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") || request.query.contains("Action=") {
            return try routeForm(request)
        }
        throw WireFault("UnknownOperationException", "No operation matches \(request.method) \(request.path)", status: 404)
    }

    private func routeTarget(_ target: String) throws(WireFault) -> Route {
        guard let dot = target.lastIndex(of: ".") else {
            throw WireFault("UnknownOperationException", "X-Amz-Target '\(target)' is not Service.Operation", status: 400)
        }
        let prefix = String(target[..<dot])
        let name = String(target[target.index(after: dot)...])
        guard let model = registry.models.values.first(where: { $0.targetPrefix == prefix }) else {
            throw WireFault("UnknownOperationException", "No service answers the target prefix '\(prefix)'", status: 400)
        }
        guard let operation = model.operations[name] else {
            throw WireFault(registry.unknownOperation(model.service, name)).with(status: 400)
        }
        return Route(model: model, operation: operation, pathParameters: [:], form: [:])
    }

    private func routeForm(_ request: WireRequest) throws(WireFault) -> Route {
        var form: [String: String] = [:]
        for (key, value) in request.queryItems { form[key] = value }
        if request.header("Content-Type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            for (key, value) in FormEncoding.pairs(String(decoding: request.body, as: UTF8.self)) { form[key] = value }
        }
        guard let action = form["Action"], !action.isEmpty else {
            throw WireFault("MissingAction", "The request must contain the parameter Action.", status: 400)
        }
        let version = form["Version"] ?? ""
        let queryModels = registry.models.values.filter { $0.wireProtocol == .query }.sorted { $0.service < $1.service }
        guard let model = queryModels.first(where: { $0.apiVersion == version }) else {
            let known = queryModels.map { "\($0.service.rawValue.uppercased()) \($0.apiVersion)" }.joined(separator: ", ")
            throw WireFault("InvalidParameterValue", "Version '\(version)' is not a version of a query service here (\(known)).", status: 400)
        }
        guard let operation = model.operations[action] else {
            throw WireFault("InvalidAction", "Could not find operation \(action) for version \(version)", status: 400)
        }
        return Route(model: model, operation: operation, pathParameters: [:], form: form)
    }
}

extension WireFault {
    func with(status: Int) -> WireFault { WireFault(code, message, status: status, fields: fields) }
}

/// A restJson1 URI template (`/2015-03-31/functions/{FunctionName}/invocations`) split
/// into segments; a `{Name+}` label takes the rest of the path.
struct URITemplate {
    enum Segment: Equatable {
        case literal(String)
        case label(String)
        case greedy(String)
    }

    let segments: [Segment]
    var literalCount: Int { segments.filter { if case .literal = $0 { return true } else { return false } }.count }

    init(_ template: String) {
        let path = template.split(separator: "?", maxSplits: 1).first.map(String.init) ?? template
        segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part in
            guard part.hasPrefix("{"), part.hasSuffix("}") else { return .literal(String(part)) }
            let name = part.dropFirst().dropLast()
            return name.hasSuffix("+") ? .greedy(String(name.dropLast())) : .label(String(name))
        }
    }

    /// The labels' values when `path` (segments, still encoded) fits the template.
    func match(_ path: [String]) -> [String: String]? {
        var values: [String: String] = [:]
        for (i, segment) in segments.enumerated() {
            switch segment {
            case .literal(let text):
                guard i < path.count, path[i] == text else { return nil }
            case .label(let name):
                guard i < path.count, !path[i].isEmpty else { return nil }
                values[name] = FormEncoding.decode(Substring(path[i]), plusIsSpace: false)
            case .greedy(let name):
                guard i < path.count else { return nil }
                values[name] = FormEncoding.decode(Substring(path[i...].joined(separator: "/")), plusIsSpace: false)
                return values
            }
        }
        return path.count == segments.count ? values : nil
    }
}
