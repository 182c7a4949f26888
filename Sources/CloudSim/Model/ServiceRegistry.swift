import DocumentModel

/// The registry of operations: AWS's service models for what labengine implements, read
/// once from the generated description (scripts/generate-models).
package struct ServiceRegistry: Sendable {
    /// The botocore release the models come from.
    package let botocoreVersion: String
    package let models: [AWSService: ServiceModel]

    /// The registry built into labengine, parsed on first use (a few milliseconds).
    package static let shared: ServiceRegistry = {
        do {
            return try ServiceRegistry(json: GeneratedModels.json)
        } catch {
            // The text is generated and committed, and a test loads it: this is a build defect.
            preconditionFailure("the generated service models do not load: \(error)")
        }
    }()

    /// The first sentence of each member's documentation, by service, shape and member, for
    /// the editor stubs (parsed only when asked for: nothing else needs it).
    package static let documentation: [AWSService: [String: [String: String]]] = {
        guard let root = try? Document(jsonText: GeneratedModels.documentationJSON).mapValue else { return [:] }
        var out: [AWSService: [String: [String: String]]] = [:]
        for (name, shapes) in root {
            guard let service = AWSService(rawValue: name) else { continue }
            out[service] = (shapes.mapValue ?? [:]).mapValues { ($0.mapValue ?? [:]).compactMapValues(\.stringValue) }
        }
        return out
    }()

    package func model(_ service: AWSService) -> ServiceModel {
        guard let model = models[service] else { preconditionFailure("no model for \(service)") }
        return model
    }

    /// The operation `service:name` (API names), if labengine implements it.
    package func operation(_ service: AWSService, _ name: String) -> OperationDescriptor? {
        models[service]?.operations[name]
    }

    /// The descriptor of `service:operation` (API names), or the error AWS's SDK would give,
    /// with the nearest name.
    package func descriptor(_ service: String, _ operation: String) throws(AWSError) -> OperationDescriptor {
        guard let known = AWSService(rawValue: service) else {
            var message = "The simulated account has no service '\(service)'"
            if let near = NearestName.find(service, among: AWSService.allCases.map(\.rawValue)) { message += "; did you mean '\(near)'?" }
            throw AWSError("UnknownServiceException", message)
        }
        guard let descriptor = self.operation(known, operation) else { throw unknownOperation(known, operation) }
        return descriptor
    }

    /// The error with the code the wire carries: an error shape's own code where the model
    /// gives one (IAM's `MalformedPolicyDocumentException` is `MalformedPolicyDocument` on the
    /// wire), so executors may name errors by their shapes.
    package func onTheWire(_ error: AWSError, of operation: OperationDescriptor) -> AWSError {
        guard let wire = models[operation.service]?.shape(named: error.code)?.errorCode, wire != error.code else { return error }
        return AWSError(wire, error.message, fields: error.fields)
    }

    /// An error naming the unknown operation, with the nearest known one.
    package func unknownOperation(_ service: AWSService, _ name: String) -> AWSError {
        let known = model(service).operations.keys.sorted()
        var message = "The \(service.rawValue) service has no operation '\(name)'"
        if let near = NearestName.find(name, among: known) { message += "; did you mean '\(near)'?" }
        return AWSError("UnknownOperationException", message)
    }

    /// Reads the generated JSON (`services.<name>.{metadata, operations, shapes}`; a
    /// structure's members are a list, in the model's order).
    init(json: String) throws {
        let root = try Document(jsonText: json)
        botocoreVersion = root["botocore"]?.stringValue ?? "?"
        var models: [AWSService: ServiceModel] = [:]
        for (name, body) in root["services"]?.mapValue ?? [:] {
            guard let service = AWSService(rawValue: name) else { throw ModelError("unknown service \(name)") }
            models[service] = try Self.readService(service, body)
        }
        for service in AWSService.allCases where models[service] == nil {
            throw ModelError("no model for service \(service.rawValue)")
        }
        self.models = models
    }

    private static func readService(_ service: AWSService, _ body: Document) throws -> ServiceModel {
        let metadata = body["metadata"] ?? [:]
        guard let protocolName = metadata["protocol"]?.stringValue, let wire = WireProtocol(rawValue: protocolName) else {
            throw ModelError("\(service.rawValue): unknown protocol")
        }
        let rawShapes = body["shapes"]?.mapValue ?? [:]
        let names = rawShapes.keys.sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let ref = { (raw: Document?, context: String) throws -> ShapeID? in
            guard let raw else { return nil }
            guard let name = raw["shape"]?.stringValue, let id = index[name] else { throw ModelError("\(context): unknown shape") }
            return id
        }
        var shapes: [Shape] = []
        for name in names {
            let raw = rawShapes[name] ?? [:]
            guard let kindName = raw["type"]?.stringValue, let kind = Shape.Kind(rawValue: kindName) else {
                throw ModelError("\(service.rawValue).\(name): unknown type")
            }
            var members: [Member] = []
            for m in raw["members"]?.arrayValue ?? [] {
                guard let memberName = m["name"]?.stringValue, let id = try ref(m, "\(name).\(memberName)") else { continue }
                members.append(Member(
                    name: memberName, shape: id, location: m["location"]?.stringValue,
                    locationName: m["locationName"]?.stringValue, isExtension: m["labengine"]?.boolValue ?? false))
            }
            let error = raw["error"]
            shapes.append(Shape(
                name: name, kind: kind, members: members,
                required: Set((raw["required"]?.arrayValue ?? []).compactMap(\.stringValue)),
                element: try ref(raw["member"], name), key: try ref(raw["key"], name), value: try ref(raw["value"], name),
                min: raw["min"]?.doubleValue, max: raw["max"]?.doubleValue, pattern: raw["pattern"]?.stringValue,
                enumValues: raw["enum"]?.arrayValue?.compactMap(\.stringValue), isUnion: raw["union"]?.boolValue ?? false,
                errorCode: (raw["exception"]?.boolValue ?? false) ? (error?["code"]?.stringValue ?? name) : nil,
                httpStatus: error?["httpStatusCode"]?.intValue.map(Int.init), payload: raw["payload"]?.stringValue,
                flattened: raw["flattened"]?.boolValue ?? false, keyName: raw["key"]?["locationName"]?.stringValue ?? "key",
                valueName: raw["value"]?["locationName"]?.stringValue ?? "value"))
        }
        let signingName = metadata["signingName"]?.stringValue ?? metadata["endpointPrefix"]?.stringValue ?? service.rawValue
        var operations: [String: OperationDescriptor] = [:]
        for (name, raw) in body["operations"]?.mapValue ?? [:] {
            let context = "\(service.rawValue).\(name)"
            guard let resourceText = raw["resource"]?.stringValue, let resource = ResourceForm(notation: resourceText) else {
                throw ModelError("\(context): unknown resource form")
            }
            guard let accessText = raw["access"]?.stringValue, let access = OperationDescriptor.Access(rawValue: accessText) else {
                throw ModelError("\(context): access must be read or write")
            }
            let shapeID = { (key: String) throws -> ShapeID? in
                guard let shapeName = raw[key]?.stringValue else { return nil }
                guard let id = index[shapeName] else { throw ModelError("\(context): unknown \(key) shape") }
                return id
            }
            operations[name] = OperationDescriptor(
                service: service, name: name, pythonName: raw["python"]?.stringValue ?? name,
                httpMethod: raw["http"]?["method"]?.stringValue ?? "POST", requestURI: raw["http"]?["uri"]?.stringValue ?? "/",
                responseCode: Int(raw["http"]?["code"]?.intValue ?? 200), input: try shapeID("input"), output: try shapeID("output"),
                resultWrapper: raw["resultWrapper"]?.stringValue,
                errors: try (raw["errors"]?.arrayValue ?? []).map {
                    guard let n = $0.stringValue, let id = index[n] else { throw ModelError("\(context): unknown error shape") }
                    return id
                },
                access: access, latency: VirtualDuration(micros: raw["latencyMicros"]?.intValue ?? 20_000),
                perItem: VirtualDuration(micros: raw["perItemMicros"]?.intValue ?? 0), items: try itemCount(raw["items"]?.stringValue, context),
                resource: resource, action: raw["action"]?.stringValue ?? "\(signingName):\(name)")
        }
        return ServiceModel(
            service: service, apiVersion: metadata["apiVersion"]?.stringValue ?? "", wireProtocol: wire,
            targetPrefix: metadata["targetPrefix"]?.stringValue, jsonVersion: metadata["jsonVersion"]?.stringValue,
            signingName: signingName, xmlNamespace: metadata["xmlNamespace"]?.stringValue, shapes: shapes, shapeIndex: index, operations: operations)
    }

    private static func itemCount(_ text: String?, _ context: String) throws -> OperationDescriptor.ItemCount {
        guard let text, text != "-" else { return .one }
        if text.hasPrefix("list:") { return .list(String(text.dropFirst(5))) }
        if text.hasPrefix("maplists:") { return .mapLists(String(text.dropFirst(9))) }
        throw ModelError("\(context): unknown item count \(text)")
    }
}

/// The generated models are inconsistent (a defect of the generator, caught by a test).
struct ModelError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
