import CloudSim
import DocumentModel

/// The query protocol's form (`RoleName=x&Tags.member.1.Key=k`) read into a document by
/// the operation's input shape: structures as `Name.Sub`, lists as `Name.member.N` (or
/// `Name.N` when flattened), maps as `Name.entry.N.key` and `.value` (or the names the model gives).
struct QueryForm {
    let model: ServiceModel
    let fields: [String: String]
    /// Every dotted prefix of a field name, so that "is anything under X" is one lookup.
    private let prefixes: Set<String>

    init(model: ServiceModel, fields: [String: String]) {
        self.model = model
        self.fields = fields
        var prefixes = Set<String>()
        for key in fields.keys {
            var part = Substring(key)
            prefixes.insert(key)
            while let dot = part.lastIndex(of: ".") {
                part = part[..<dot]
                prefixes.insert(String(part))
            }
        }
        self.prefixes = prefixes
    }

    /// The input of `operation`, from the form's fields.
    func decode(_ operation: OperationDescriptor) throws(WireFault) -> Document {
        guard let input = operation.input else { return [:] }
        return try value(input, at: "") ?? [:]
    }

    private func value(_ id: ShapeID, at key: String) throws(WireFault) -> Document? {
        let shape = model.shape(id)
        switch shape.kind {
        case .structure:
            guard key.isEmpty || prefixes.contains(key) else { return nil }
            var out: [String: Document] = [:]
            for member in shape.members {
                let name = member.locationName ?? member.name
                if let v = try value(member.shape, at: key.isEmpty ? name : "\(key).\(name)") { out[member.name] = v }
            }
            return .map(out)
        case .list:
            guard let element = shape.element else { return nil }
            if fields[key] == "" { return .array([]) }
            let base = shape.flattened ? key : "\(key).member"
            var items: [Document] = []
            var i = 1
            while prefixes.contains("\(base).\(i)"), i <= fields.count {
                if let item = try value(element, at: "\(base).\(i)") { items.append(item) }
                i += 1
            }
            return items.isEmpty ? nil : .array(items)
        case .map:
            guard let keyShape = shape.key, let valueShape = shape.value else { return nil }
            var out: [String: Document] = [:]
            var i = 1
            while prefixes.contains("\(key).entry.\(i)"), i <= fields.count {
                if let k = try value(keyShape, at: "\(key).entry.\(i).\(shape.keyName)")?.stringValue,
                    let v = try value(valueShape, at: "\(key).entry.\(i).\(shape.valueName)")
                {
                    out[k] = v
                }
                i += 1
            }
            return out.isEmpty ? nil : .map(out)
        default:
            guard let text = fields[key] else { return nil }
            return try ScalarText.value(text, shape, name: key, family: .query)
        }
    }
}

/// The query protocol's XML responses: `<OperationResponse>` holding `<OperationResult>`
/// and `<ResponseMetadata>`, lists as `<member>` elements, maps as `<entry>`.
struct XMLResponse {
    let model: ServiceModel

    func success(_ output: Document, _ operation: OperationDescriptor, requestID: String, unmodelled: inout [String]) -> [UInt8] {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(operation.name)Response\(namespace)>"
        if let outputID = operation.output {
            let wrapper = operation.resultWrapper ?? "\(operation.name)Result"
            xml += "<\(wrapper)>"
            members(output, outputID, path: "", into: &xml, unmodelled: &unmodelled)
            xml += "</\(wrapper)>"
        }
        xml += "<ResponseMetadata><RequestId>\(requestID)</RequestId></ResponseMetadata></\(operation.name)Response>"
        return Array(xml.utf8)
    }

    /// AWS's query error document (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
    func error(code: String, message: String, sender: Bool, requestID: String) -> [UInt8] {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse\(namespace)><Error><Type>\(sender ? "Sender" : "Receiver")</Type>"
            + "<Code>\(Self.escape(code))</Code><Message>\(Self.escape(message))</Message></Error><RequestId>\(requestID)</RequestId></ErrorResponse>"
        return Array(xml.utf8)
    }

    private var namespace: String { model.xmlNamespace.map { " xmlns=\"\($0)\"" } ?? "" }

    private func members(_ value: Document, _ id: ShapeID, path: String, into xml: inout String, unmodelled: inout [String]) {
        guard case .map(let fields) = value else { return }
        let shape = model.shape(id)
        for name in fields.keys.sorted() {
            guard let member = shape.member(name) else {
                unmodelled.append("\(path).\(name)")
                continue
            }
            guard let field = fields[name], !field.isNull else { continue }
            element(member.locationName ?? member.name, field, member.shape, path: "\(path).\(name)", into: &xml, unmodelled: &unmodelled)
        }
    }

    private func element(_ name: String, _ value: Document, _ id: ShapeID, path: String, into xml: inout String, unmodelled: inout [String]) {
        let shape = model.shape(id)
        switch shape.kind {
        case .structure:
            xml += "<\(name)>"
            members(value, id, path: path, into: &xml, unmodelled: &unmodelled)
            xml += "</\(name)>"
        case .list:
            guard let element = shape.element else { return }
            let items = value.arrayValue ?? []
            if !shape.flattened { xml += "<\(name)>" }
            for (i, item) in items.enumerated() {
                self.element(shape.flattened ? name : "member", item, element, path: "\(path)[\(i)]", into: &xml, unmodelled: &unmodelled)
            }
            if !shape.flattened { xml += "</\(name)>" }
        case .map:
            guard let keyShape = shape.key, let valueShape = shape.value else { return }
            xml += "<\(name)>"
            for (k, v) in (value.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                xml += "<entry>"
                element(shape.keyName, .string(k), keyShape, path: path, into: &xml, unmodelled: &unmodelled)
                element(shape.valueName, v, valueShape, path: "\(path).\(k)", into: &xml, unmodelled: &unmodelled)
                xml += "</entry>"
            }
            xml += "</\(name)>"
        default:
            xml += "<\(name)>\(Self.escape(ScalarText.text(value, shape)))</\(name)>"
        }
    }

    static func escape(_ text: String) -> String { XMLText.escape(text) }
}
