import DocumentModel

/// An IAM role.
public final class Role {
    public let name: String
    public let arn: String
    public let assumeRolePolicy: String
    public internal(set) var attached: [String] = []
    public internal(set) var inline: [String: PolicyDocument] = [:]
    let created: VirtualTime
    /// The role's unique ID (AWS's start with AROA).
    public var id: String { "AROA" + name.uppercased() }

    init(name: String, arn: String, assumeRolePolicy: String, created: VirtualTime) {
        self.name = name
        self.arn = arn
        self.assumeRolePolicy = assumeRolePolicy
        self.created = created
    }
}

/// A customer managed policy with its versions.
public final class ManagedPolicy {
    public let name: String
    public let arn: String
    /// `/` for the account's policies; AWS managed ones have theirs (`/service-role/`).
    public let path: String
    /// Whether AWS owns it (an AWS managed policy): it cannot be changed or deleted.
    public let awsManaged: Bool
    var updated: VirtualTime
    public internal(set) var versions: [(id: String, document: PolicyDocument, created: VirtualTime)] = []
    public internal(set) var defaultVersion: String = "v1"
    var nextVersion = 1
    let created: VirtualTime

    init(name: String, arn: String, created: VirtualTime, path: String = "/", awsManaged: Bool = false) {
        self.name = name
        self.arn = arn
        self.created = created
        self.updated = created
        self.path = path
        self.awsManaged = awsManaged
    }

    /// The document of the default version.
    public var document: PolicyDocument? { versions.first { $0.id == defaultVersion }?.document }
}

/// The simulated IAM service: roles, managed and inline policies, and policy evaluation.
public final class IAM {
    public let accountID: String
    let scheduler: Scheduler
    public internal(set) var roles: [String: Role] = [:] {
        didSet { rolesByArn = Dictionary(roles.values.map { ($0.arn, $0) }, uniquingKeysWith: { first, _ in first }) }
    }
    /// The roles again by ARN: every call function code makes looks its role up by ARN.
    private var rolesByArn: [String: Role] = [:]
    public internal(set) var policies: [String: ManagedPolicy] = [:]  // by ARN
    /// Decisions already made, keyed by role, action and resource; any IAM change clears it.
    var decisions: [DecisionKey: Decision] = [:]
    /// Counts the changes to roles and policies: a decision remembered elsewhere holds while
    /// this is what it was.
    package private(set) var revision = 0

    public init(accountID: String, scheduler: Scheduler) {
        self.accountID = accountID
        self.scheduler = scheduler
        for entry in AWSManagedPolicies.all {
            // Documents known at build time: a failure here is a bug in the catalogue.
            guard let document = try? PolicyDocument(text: entry.document) else { continue }
            let policy = ManagedPolicy(
                name: entry.name, arn: entry.arn, created: VirtualTime(unixSeconds: entry.created), path: entry.path, awsManaged: true)
            policy.updated = VirtualTime(unixSeconds: entry.updated)
            policy.versions = [(entry.version, document, policy.updated)]
            policy.defaultVersion = entry.version
            policies[entry.arn] = policy
        }
    }

    /// Runs one operation, its request already validated against the model.
    /// - Throws: ``AWSError`` with IAM's codes.
    func execute(_ operation: OperationDescriptor, _ request: Document) throws -> Document {
        if operation.access == .write {
            decisions.removeAll()
            revision += 1
        }
        let p = try Params(request)
        switch operation.name {
        case "CreateRole": return try createRole(p)
        case "GetRole": return ["Role": roleDocument(try role(try p.string("RoleName")))]
        case "DeleteRole":
            let role = try role(try p.string("RoleName"))
            guard role.attached.isEmpty, role.inline.isEmpty else {
                throw AWSError("DeleteConflict", "Cannot delete entity, must detach all policies first.")
            }
            roles[role.name] = nil
            return [:]
        case "ListRoles": return ["Roles": .array(roles.keys.sorted().compactMap { roles[$0] }.map(roleDocument))]
        case "CreatePolicy": return try createPolicy(p)
        case "GetPolicy": return ["Policy": policyDocument(try policy(try p.string("PolicyArn")))]
        case "DeletePolicy":
            let policy = try changeable(try policy(try p.string("PolicyArn")))
            if roles.values.contains(where: { $0.attached.contains(policy.arn) }) {
                throw AWSError("DeleteConflict", "Cannot delete a policy attached to entities.")
            }
            policies[policy.arn] = nil
            return [:]
        case "ListPolicies":
            // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html
            let scope = try p.choice("Scope", ["All", "AWS", "Local"], default: "All")
            let onlyAttached = try p.optionalBool("OnlyAttached") ?? false
            let prefix = try p.optionalString("PathPrefix") ?? "/"
            let listed = policies.keys.sorted().compactMap { policies[$0] }.filter { policy in
                (scope == "All" || (scope == "AWS") == policy.awsManaged) && policy.path.hasPrefix(prefix)
                    && (!onlyAttached || attachments(of: policy) > 0)
            }
            return ["Policies": .array(listed.map(policyDocument)), "IsTruncated": false]
        case "CreatePolicyVersion": return try createPolicyVersion(p)
        case "GetPolicyVersion":
            let policy = try policy(try p.string("PolicyArn"))
            let id = try p.string("VersionId")
            guard let version = policy.versions.first(where: { $0.id == id }) else {
                throw AWSError("NoSuchEntity", "Policy \(policy.arn) version \(id) does not exist or is not attachable.")
            }
            return ["PolicyVersion": versionDocument(policy, version.id, version.document)]
        case "ListPolicyVersions":
            let policy = try policy(try p.string("PolicyArn"))
            return ["Versions": .array(policy.versions.reversed().map { versionDocument(policy, $0.id, $0.document, includeText: false) })]
        case "DeletePolicyVersion":
            let policy = try changeable(try policy(try p.string("PolicyArn")))
            let id = try p.string("VersionId")
            guard id != policy.defaultVersion else {
                throw AWSError("DeleteConflict", "Cannot delete the default version of a policy.")
            }
            guard policy.versions.contains(where: { $0.id == id }) else {
                throw AWSError("NoSuchEntity", "Policy \(policy.arn) version \(id) does not exist.")
            }
            policy.versions.removeAll { $0.id == id }
            return [:]
        case "SetDefaultPolicyVersion":
            let policy = try changeable(try policy(try p.string("PolicyArn")))
            let id = try p.string("VersionId")
            guard policy.versions.contains(where: { $0.id == id }) else {
                throw AWSError("NoSuchEntity", "Policy \(policy.arn) version \(id) does not exist or is not attachable.")
            }
            policy.defaultVersion = id
            policy.updated = scheduler.now
            return [:]
        case "AttachRolePolicy":
            let role = try role(try p.string("RoleName"))
            let policy = try policy(try p.string("PolicyArn"))
            if !role.attached.contains(policy.arn) { role.attached.append(policy.arn) }
            return [:]
        case "DetachRolePolicy":
            let role = try role(try p.string("RoleName"))
            let arn = try p.string("PolicyArn")
            guard role.attached.contains(arn) else { throw AWSError("NoSuchEntity", "Policy \(arn) was not found.") }
            role.attached.removeAll { $0 == arn }
            return [:]
        case "ListAttachedRolePolicies":
            let role = try role(try p.string("RoleName"))
            return [
                "AttachedPolicies": .array(role.attached.map { arn in
                    ["PolicyArn": .string(arn), "PolicyName": .string(policies[arn]?.name ?? "")]
                })
            ]
        case "PutRolePolicy":
            let role = try role(try p.string("RoleName"))
            let name = try p.string("PolicyName")
            role.inline[name] = try PolicyDocument(text: try Self.documentText(p))
            return [:]
        case "GetRolePolicy":
            let role = try role(try p.string("RoleName"))
            let name = try p.string("PolicyName")
            guard let document = role.inline[name] else {
                throw AWSError("NoSuchEntity", "The role policy with name \(name) cannot be found.")
            }
            return ["RoleName": .string(role.name), "PolicyName": .string(name), "PolicyDocument": .string(document.text)]
        case "DeleteRolePolicy":
            let role = try role(try p.string("RoleName"))
            let name = try p.string("PolicyName")
            guard role.inline.removeValue(forKey: name) != nil else {
                throw AWSError("NoSuchEntity", "The role policy with name \(name) cannot be found.")
            }
            return [:]
        case "ListRolePolicies":
            return ["PolicyNames": .array(try role(try p.string("RoleName")).inline.keys.sorted().map { .string($0) })]
        case "SimulatePrincipalPolicy": return try simulate(p)
        default: throw ServiceRegistry.shared.unknownOperation(.iam, operation.name)
        }
    }

    /// IAM takes policy documents as JSON text (the model refuses a table, as boto3 does).
    static func documentText(_ p: Params, _ name: String = "PolicyDocument") throws -> String {
        try p.string(name)
    }

    public func role(_ name: String) throws(AWSError) -> Role {
        guard let role = roles[name] else { throw AWSError("NoSuchEntity", "The role with name \(name) cannot be found.") }
        return role
    }

    /// The role named by an ARN (`arn:aws:iam::ACCOUNT:role/NAME`).
    public func role(arn: String) -> Role? { rolesByArn[arn] }

    func policy(_ arn: String) throws(AWSError) -> ManagedPolicy {
        guard let policy = policies[arn] else {
            throw AWSError("NoSuchEntity", "Policy \(arn) does not exist or is not attachable.")
        }
        return policy
    }

    private func createRole(_ p: Params) throws -> Document {
        let name = try p.string("RoleName")
        guard roles[name] == nil else { throw AWSError("EntityAlreadyExists", "Role with name \(name) already exists.") }
        let trust = try Self.documentText(p, "AssumeRolePolicyDocument")
        let role = Role(name: name, arn: "arn:aws:iam::\(accountID):role/\(name)", assumeRolePolicy: trust, created: scheduler.now)
        roles[name] = role
        return ["Role": roleDocument(role)]
    }

    private func createPolicy(_ p: Params) throws -> Document {
        let name = try p.string("PolicyName")
        let arn = "arn:aws:iam::\(accountID):policy/\(name)"
        guard policies[arn] == nil else {
            throw AWSError("EntityAlreadyExists", "A policy called \(name) already exists. Duplicate names are not allowed.")
        }
        let document = try PolicyDocument(text: try Self.documentText(p))
        let policy = ManagedPolicy(name: name, arn: arn, created: scheduler.now)
        policy.versions = [("v1", document, scheduler.now)]
        policy.nextVersion = 2
        policies[arn] = policy
        return ["Policy": policyDocument(policy)]
    }

    /// An AWS managed policy belongs to AWS: "You can't change the permissions defined in
    /// AWS managed policies" (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html).
    private func changeable(_ policy: ManagedPolicy) throws(AWSError) -> ManagedPolicy {
        guard !policy.awsManaged else {
            throw AWSError("AccessDenied", "User: arn:aws:iam::\(accountID):root is not authorized to change \(policy.arn): it is an AWS managed policy")
        }
        return policy
    }

    private func attachments(of policy: ManagedPolicy) -> Int { roles.values.filter { $0.attached.contains(policy.arn) }.count }

    private func createPolicyVersion(_ p: Params) throws -> Document {
        let policy = try changeable(try policy(try p.string("PolicyArn")))
        guard policy.versions.count < 5 else {
            throw AWSError(
                "LimitExceeded",
                "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
        }
        let document = try PolicyDocument(text: try Self.documentText(p))
        let id = "v\(policy.nextVersion)"
        policy.nextVersion += 1
        policy.versions.append((id, document, scheduler.now))
        policy.updated = scheduler.now
        if try p.optionalBool("SetAsDefault") == true { policy.defaultVersion = id }
        return ["PolicyVersion": versionDocument(policy, id, document, includeText: false)]
    }

    private func roleDocument(_ role: Role) -> Document {
        [
            "RoleName": .string(role.name), "Arn": .string(role.arn), "Path": "/", "RoleId": .string(role.id),
            "AssumeRolePolicyDocument": .string(role.assumeRolePolicy), "CreateDate": .double(role.created.unixSeconds),
        ]
    }

    private func policyDocument(_ policy: ManagedPolicy) -> Document {
        [
            "PolicyName": .string(policy.name), "Arn": .string(policy.arn), "Path": .string(policy.path),
            "PolicyId": .string("ANPA" + String(policy.name.uppercased().filter { $0.isLetter || $0.isNumber }.prefix(17))),
            "DefaultVersionId": .string(policy.defaultVersion),
            "AttachmentCount": .int(Int64(attachments(of: policy))),
            "CreateDate": .double(policy.created.unixSeconds), "UpdateDate": .double(policy.updated.unixSeconds), "IsAttachable": true,
        ]
    }

    private func versionDocument(_ policy: ManagedPolicy, _ id: String, _ document: PolicyDocument, includeText: Bool = true) -> Document {
        var d: [String: Document] = ["VersionId": .string(id), "IsDefaultVersion": .bool(id == policy.defaultVersion)]
        if let created = policy.versions.first(where: { $0.id == id })?.created { d["CreateDate"] = .double(created.unixSeconds) }
        if includeText { d["Document"] = .string(document.text) }
        return .map(d)
    }
}
