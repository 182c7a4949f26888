import DocumentModel

/// The outcome of evaluating a role's policies for one action on one resource.
public struct Decision: Sendable, Equatable {
    /// `allowed`, `explicitDeny` or `implicitDeny`, as SimulatePrincipalPolicy says.
    public let decision: String
    /// The policies and statements that decided (the Deny that denied, or the Allows that allowed).
    public let matched: [MatchedStatement]

    public var allowed: Bool { decision == "allowed" }
}

/// What a cached decision was made for.
struct DecisionKey: Hashable {
    let role: String
    let action: String
    let resource: String
}

/// A statement that matched, named by its policy and position.
public struct MatchedStatement: Sendable, Equatable {
    /// The policy's ARN (managed) or `ROLE/NAME` (inline).
    public let policy: String
    public let sid: String?
    /// Position of the statement in its policy, from 0.
    public let index: Int
}

extension IAM {
    /// Evaluates a role's identity-based policies: an explicit Deny wins, then any Allow,
    /// otherwise the request is implicitly denied.
    public func evaluate(role: Role, action: String, resource: String) -> Decision {
        let key = DecisionKey(role: role.arn, action: action, resource: resource)
        if let known = decisions[key] { return known }
        let decision = decide(role: role, action: action, resource: resource)
        decisions[key] = decision
        return decision
    }

    private func decide(role: Role, action: String, resource: String) -> Decision {
        var allows: [MatchedStatement] = []
        var denies: [MatchedStatement] = []
        var sources: [(String, PolicyDocument)] = role.attached.compactMap { arn in policies[arn]?.document.map { (arn, $0) } }
        for name in role.inline.keys.sorted() {
            if let document = role.inline[name] { sources.append(("\(role.name)/\(name)", document)) }
        }
        for (source, document) in sources {
            for (index, statement) in document.statements.enumerated() where statement.matches(action: action, resource: resource) {
                let match = MatchedStatement(policy: source, sid: statement.sid, index: index)
                if statement.allow { allows.append(match) } else { denies.append(match) }
            }
        }
        if !denies.isEmpty { return Decision(decision: "explicitDeny", matched: denies) }
        if !allows.isEmpty { return Decision(decision: "allowed", matched: allows) }
        return Decision(decision: "implicitDeny", matched: [])
    }

    /// Throws AWS's AccessDeniedException unless the role may perform `action` on `resource`:
    /// within one account, an Allow in either the role's policies or the resource's own
    /// policy grants it, and an explicit Deny in either refuses it
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    /// - Parameters:
    ///   - session: the assumed-role session name (the function's name for Lambda).
    ///   - resourcePolicy: the queue's, topic's or function's policy, when it has one.
    public func authorize(role: Role, session: String, action: String, resource: String, resourcePolicy: PolicyDocument? = nil) throws(AWSError) {
        let decision = evaluate(role: role, action: action, resource: resource)
        let verdict = resourcePolicy?.verdict(for: .role(arn: role.arn, account: accountID), action: action, resource: resource) ?? .silent
        if decision.decision != "explicitDeny", verdict != .deny, decision.allowed || verdict == .allow { return }
        let why: String
        switch (decision.decision, verdict) {
        case ("explicitDeny", _): why = "with an explicit deny in an identity-based policy"
        case (_, .deny): why = "with an explicit deny in a resource-based policy"
        default: why = "because no identity-based policy allows the \(action) action"
        }
        throw AWSError(
            "AccessDeniedException",
            "User: arn:aws:sts::\(accountID):assumed-role/\(role.name)/\(session) is not authorized to perform: \(action) on resource: \(resource) \(why)")
    }

    func simulate(_ p: Params) throws -> Document {
        let source = try p.string("PolicySourceArn")
        guard let role = role(arn: source) else {
            throw AWSError("NoSuchEntity", "The role with ARN \(source) cannot be found.")
        }
        let actions = try p.list("ActionNames").compactMap(\.stringValue)
        let resources = try p.optionalList("ResourceArns")?.compactMap(\.stringValue) ?? ["*"]
        var results: [Document] = []
        for action in actions {
            for resource in resources {
                let decision = evaluate(role: role, action: action, resource: resource)
                results.append([
                    "EvalActionName": .string(action), "EvalResourceName": .string(resource),
                    "EvalDecision": .string(decision.decision),
                    "MatchedStatements": .array(decision.matched.map { m in
                        var d: [String: Document] = ["SourcePolicyId": .string(m.policy), "StatementIndex": .int(Int64(m.index))]
                        if let sid = m.sid { d["Sid"] = .string(sid) }
                        return .map(d)
                    }),
                ])
            }
        }
        return ["EvaluationResults": .array(results), "IsTruncated": false]
    }
}
