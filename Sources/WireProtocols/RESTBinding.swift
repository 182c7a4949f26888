import CloudSim
import DocumentModel

/// restJson1 (Lambda): members bound to the path, the query string and headers, a payload
/// member that is the whole body, and the rest as a JSON body.
struct RESTBinding {
    let model: ServiceModel
    var codec: ShapeCodec { ShapeCodec(model: model) }

    /// The request as the account takes it.
    func decode(_ request: WireRequest, _ route: WireRouter.Route) throws(WireFault) -> Document {
        guard let input = route.operation.input else { return [:] }
        let shape = model.shape(input)
        var out: [String: Document] = [:]
        if let payload = shape.payload, let member = shape.member(payload) {
            if !request.body.isEmpty {
                out[payload] = model.shape(member.shape).kind == .blob
                    ? .bytes(request.body) : try codec.decode(try JSONBody.parse(request.body), member.shape, path: payload)
            }
        } else if !request.body.isEmpty, case .map(let fields) = try codec.decode(try JSONBody.parse(request.body), input, path: "") {
            for (name, value) in fields where shape.member(name)?.location == nil { out[name] = value }
        }
        let query = request.queryItems
        for member in shape.members {
            guard let location = member.location else { continue }
            let wireName = member.locationName ?? member.name
            let memberShape = model.shape(member.shape)
            switch location {
            case "uri":
                if let text = route.pathParameters[wireName] {
                    out[member.name] = try ScalarText.value(text, memberShape, name: member.name, family: .restJSON)
                }
            case "querystring":
                let texts = query.filter { $0.0 == wireName }.map(\.1)
                guard !texts.isEmpty else { continue }
                if memberShape.kind == .list, let element = memberShape.element {
                    var items: [Document] = []
                    for text in texts { items.append(try ScalarText.value(text, model.shape(element), name: member.name, family: .restJSON)) }
                    out[member.name] = .array(items)
                } else if let text = texts.first {
                    out[member.name] = try ScalarText.value(text, memberShape, name: member.name, family: .restJSON)
                }
            case "header":
                if let text = request.header(wireName) {
                    out[member.name] = try ScalarText.value(text, memberShape, name: member.name, family: .restJSON)
                }
            default: continue
            }
        }
        return .map(out)
    }

    /// The response: the operation's status (or its `statusCode` member), header members,
    /// and the payload or JSON body.
    func encode(_ output: Document, _ operation: OperationDescriptor, unmodelled: inout [String]) -> (status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        var status = operation.responseCode
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        guard let outputID = operation.output else { return (status, headers, status == 204 ? [] : Array("{}".utf8)) }
        let shape = model.shape(outputID)
        for member in shape.members {
            guard let location = member.location, let value = output[member.name], !value.isNull else { continue }
            switch location {
            case "header": headers.append((member.locationName ?? member.name, ScalarText.text(value, model.shape(member.shape))))
            case "statusCode": status = Int(value.intValue ?? Int64(status))
            default: continue
            }
        }
        if let payload = shape.payload, let member = shape.member(payload) {
            guard let value = output[payload] else { return (status, headers, []) }
            if model.shape(member.shape).kind == .blob { return (status, headers, value.bytesValue ?? []) }
            let encoded = codec.encode(value, member.shape, path: payload, unmodelled: &unmodelled)
            return (status, headers, JSONBody.bytes(encoded))
        }
        if status == 204 { return (status, headers, []) }
        return (status, headers, JSONBody.bytes(codec.encode(output, outputID, path: "", unmodelled: &unmodelled)))
    }
}

/// JSON bodies in and out.
enum JSONBody {
    static func parse(_ body: [UInt8]) throws(WireFault) -> Document {
        do {
            return try Document(jsonBytes: body)
        } catch {
            throw WireFault.serialization("The request body is not valid JSON: \(error.description)")
        }
    }

    static func bytes(_ value: Document) -> [UInt8] {
        // Documents from the account hold no NaN, infinity or function, which JSON cannot carry.
        Array(((try? value.jsonText()) ?? "{}").utf8)
    }
}
