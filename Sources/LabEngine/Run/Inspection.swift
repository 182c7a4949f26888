import CloudSim
import DocumentModel

/// `labengine inspect`: one thing of a world, as JSON, so a learner can look before acting.
public enum Inspection: String, CaseIterable, Sendable {
    /// A table's items, in plain values.
    case items
    /// A table's description (DescribeTable).
    case table
    /// A function's configuration (GetFunctionConfiguration).
    case function
    /// A function's event source mappings (its triggers).
    case mappings
    /// A function's log lines.
    case log
    /// A function's metrics.
    case metrics
    /// A role and its policies' default documents.
    case role
    /// A Kinesis stream's description.
    case stream

    /// What `name` is for this kind, for help and messages.
    public var subject: String {
        switch self {
        case .items, .table: return "table"
        case .function, .mappings, .log, .metrics: return "function"
        case .role: return "role"
        case .stream: return "stream"
        }
    }

    /// Looks at `name` in `world`.
    /// - Throws: ``AWSError`` as the service answers (e.g. ResourceNotFoundException).
    public func look(at name: String, in world: World) throws -> Document {
        let account = world.account
        switch self {
        case .items:
            _ = try account.call("dynamodb", "DescribeTable", ["TableName": .string(name)])
            return .array(RunContext.items(of: name, in: world) ?? [])
        case .table: return try account.call("dynamodb", "DescribeTable", ["TableName": .string(name)])
        case .function: return try account.call("lambda", "GetFunctionConfiguration", ["FunctionName": .string(name)])
        case .mappings: return try account.call("lambda", "ListEventSourceMappings", ["FunctionName": .string(name)])
        case .log:
            _ = try account.call("lambda", "GetFunctionConfiguration", ["FunctionName": .string(name)])
            return .array((account.logs.groups["/aws/lambda/\(name)"] ?? []).map {
                ["time": .double($0.time.seconds), "message": .string($0.message)]
            })
        case .metrics:
            _ = try account.call("lambda", "GetFunctionConfiguration", ["FunctionName": .string(name)])
            return RunContext.metrics(of: name, in: world)
        case .role:
            var role = try account.call("iam", "GetRole", ["RoleName": .string(name)])["Role"] ?? .null
            let attached = try account.call("iam", "ListAttachedRolePolicies", ["RoleName": .string(name)])["AttachedPolicies"]?.arrayValue ?? []
            var policies: [Document] = []
            for policy in attached {
                guard let arn = policy["PolicyArn"]?.stringValue else { continue }
                let meta = try account.call("iam", "GetPolicy", ["PolicyArn": .string(arn)])["Policy"]
                let version = meta?["DefaultVersionId"]?.stringValue ?? "v1"
                let document = try account.call("iam", "GetPolicyVersion", ["PolicyArn": .string(arn), "VersionId": .string(version)])
                var entry: [String: Document] = ["PolicyArn": .string(arn), "DefaultVersionId": .string(version)]
                if let text = document["PolicyVersion"]?["Document"]?.stringValue {
                    entry["Document"] = (try? Document(jsonText: text)) ?? .string(text)
                }
                policies.append(.map(entry))
            }
            if case .map(var fields) = role {
                fields["AttachedPolicies"] = .array(policies)
                role = .map(fields)
            }
            return role
        case .stream: return try account.call("kinesis", "DescribeStream", ["StreamName": .string(name)])
        }
    }
}
