import DocumentModel

/// Index of a shape in its ``ServiceModel``'s `shapes`.
package typealias ShapeID = Int

/// One shape of an AWS service model: a type with its constraints and wire bindings.
/// A class, so that walking a request does not copy its fields at every step.
package final class Shape: Sendable {
    /// The model's shape types.
    package enum Kind: String, Sendable {
        case structure, list, map, string, integer, long, boolean, double, float, blob, timestamp
    }

    package let name: String
    package let kind: Kind
    /// Structure members in the model's order.
    package let members: [Member]
    /// Structure members by name.
    package let memberIndex: [String: Int]
    package let required: Set<String>
    /// The required members' indices, in the model's order.
    package let requiredMembers: [Int]
    /// Whether each member is required, by index.
    let isRequired: [Bool]
    /// The UTF-8 lengths of the members' names.
    let memberLengths: [Int]
    /// A string shape with a length, enum or pattern to check.
    package let hasStringConstraints: Bool
    /// A list's element, or a map's key and value.
    package let element: ShapeID?
    package let key: ShapeID?
    package let value: ShapeID?
    /// What the query protocol calls a map's key and value (`key`/`value` unless the model
    /// names them: SNS's message attributes are `entry.N.Name` and `entry.N.Value`).
    package let keyName: String
    package let valueName: String
    /// Length (strings, blobs, lists, maps) or value (numbers) bounds.
    package let min: Double?
    package let max: Double?
    package let pattern: String?
    package let enumValues: [String]?
    /// A tagged union: exactly one member is set.
    package let isUnion: Bool
    /// For error shapes: the code on the wire (the shape's name unless the model says otherwise) and HTTP status.
    package let errorCode: String?
    package let httpStatus: Int?
    /// A REST structure's member that is the whole HTTP body (Lambda Invoke's `Payload`).
    package let payload: String?
    /// A query-protocol list written without its `member` wrapper.
    package let flattened: Bool

    package func member(_ name: String) -> Member? { memberIndex(of: name).map { members[$0] } }

    /// The index of the member called `name`. Most structures are small and their names of
    /// different lengths, so comparing lengths first finds one without hashing the name.
    @inline(__always)
    package func memberIndex(of name: String) -> Int? {
        guard members.count <= 16 else { return memberIndex[name] }
        let length = name.utf8.count
        for i in members.indices where memberLengths[i] == length && members[i].name == name { return i }
        return nil
    }

    init(
        name: String, kind: Kind, members: [Member], required: Set<String>, element: ShapeID?, key: ShapeID?, value: ShapeID?,
        min: Double?, max: Double?, pattern: String?, enumValues: [String]?, isUnion: Bool, errorCode: String?, httpStatus: Int?,
        payload: String? = nil, flattened: Bool = false, keyName: String = "key", valueName: String = "value"
    ) {
        self.name = name
        self.kind = kind
        self.members = members
        memberIndex = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.name, $0) })
        self.required = required
        requiredMembers = members.indices.filter { required.contains(members[$0].name) }
        memberLengths = members.map { $0.name.utf8.count }
        isRequired = members.map { required.contains($0.name) }
        self.element = element
        self.key = key
        self.value = value
        self.keyName = keyName
        self.valueName = valueName
        self.min = min
        self.max = max
        self.pattern = pattern
        self.enumValues = enumValues
        self.isUnion = isUnion
        self.errorCode = errorCode
        self.httpStatus = httpStatus
        self.payload = payload
        self.flattened = flattened
        hasStringConstraints = min != nil || max != nil || pattern != nil || enumValues != nil
    }
}

/// A structure member: its shape and its wire binding.
package struct Member: Sendable {
    package let name: String
    package let shape: ShapeID
    /// Where a REST protocol puts it (`uri`, `querystring`, `header`, …); nil for the body.
    package let location: String?
    package let locationName: String?
    /// Added by labengine (Lua source in place of a zip), not in AWS's model.
    package let isExtension: Bool
}

/// The wire protocols of AWS's service models.
package enum WireProtocol: String, Sendable {
    case json, restJSON = "rest-json", query, restXML = "rest-xml", ec2
}

/// One service's model: its metadata, shapes and the operations labengine implements.
/// A class: every call reaches it, and a struct of this size would be copied each time.
package final class ServiceModel: Sendable {
    package let service: AWSService
    package let apiVersion: String
    package let wireProtocol: WireProtocol
    package let targetPrefix: String?
    package let jsonVersion: String?
    /// The prefix of the service's IAM actions and of its SigV4 scope.
    package let signingName: String
    /// The query protocol's XML namespace of responses (IAM's `https://iam.amazonaws.com/doc/2010-05-08/`).
    package let xmlNamespace: String?
    package let shapes: [Shape]
    package let shapeIndex: [String: ShapeID]
    package let operations: [String: OperationDescriptor]
    /// Operations by boto3's snake_case name.
    package let operationsByPythonName: [String: OperationDescriptor]

    init(
        service: AWSService, apiVersion: String, wireProtocol: WireProtocol, targetPrefix: String?, jsonVersion: String?,
        signingName: String, xmlNamespace: String?, shapes: [Shape], shapeIndex: [String: ShapeID], operations: [String: OperationDescriptor]
    ) {
        self.service = service
        self.apiVersion = apiVersion
        self.wireProtocol = wireProtocol
        self.targetPrefix = targetPrefix
        self.jsonVersion = jsonVersion
        self.signingName = signingName
        self.xmlNamespace = xmlNamespace
        self.shapes = shapes
        self.shapeIndex = shapeIndex
        self.operations = operations
        operationsByPythonName = Dictionary(uniqueKeysWithValues: operations.values.map { ($0.pythonName, $0) })
    }

    package func shape(_ id: ShapeID) -> Shape { shapes[id] }
    package func shape(named name: String) -> Shape? { shapeIndex[name].map { shapes[$0] } }
}

/// The services the simulated account has, by their names in `aws.<service>` and botocore.
package enum AWSService: String, CaseIterable, Sendable, Comparable {
    case dynamodb, dynamodbstreams, kinesis, iam, lambda, logs, events, sts, sqs, sns

    package static func < (a: AWSService, b: AWSService) -> Bool { a.rawValue < b.rawValue }
}
