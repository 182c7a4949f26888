import DocumentModel

/// Who a call comes from, as a resource-based policy sees it.
public enum RequestPrincipal: Sendable, Equatable {
    /// An AWS service acting for the account (`sns.amazonaws.com` delivering to a queue).
    case service(String)
    /// A role of `account` (an assumed-role session, named by the role's ARN).
    case role(arn: String, account: String)
}

/// The `Principal` element of a resource-based statement
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
struct PolicyPrincipals: Sendable {
    /// `"*"` or `{"AWS": "*"}`: anyone.
    var anyone = false
    /// Account IDs, account root ARNs and role ARNs.
    var aws: [String] = []
    /// Service principals (`sns.amazonaws.com`).
    var services: [String] = []

    init(_ element: Document) throws(AWSError) {
        if element.stringValue == "*" {
            anyone = true
            return
        }
        guard let map = element.mapValue, !map.isEmpty else {
            throw PolicyDocument.malformed("Invalid principal in policy: the Principal must be \"*\" or an object of AWS or Service principals")
        }
        // By key, so of two malformed entries the same one is named in every process.
        for (key, value) in map.sorted(by: { $0.key < $1.key }) {
            let names: [String]
            if let one = value.stringValue {
                names = [one]
            } else if let many = value.arrayValue?.compactMap(\.stringValue), many.count == value.arrayValue?.count {
                names = many
            } else {
                throw PolicyDocument.malformed("Invalid principal in policy: \(key) must be a string or a list of strings")
            }
            switch key {
            case "AWS":
                if names.contains("*") { anyone = true }
                aws += names
            case "Service": services += names
            default:
                throw PolicyDocument.malformed("Invalid principal in policy: \"\(key)\" principals are not simulated (use AWS or Service)")
            }
        }
    }

    func includes(_ principal: RequestPrincipal) -> Bool {
        if anyone { return true }
        switch principal {
        case .service(let name): return services.contains(name)
        case .role(let arn, let account):
            return aws.contains { $0 == arn || $0 == account || $0 == "arn:aws:iam::\(account):root" }
        }
    }
}

/// One test of a statement's `Condition` block: an operator, a key and the values that match
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
/// The keys a request has here are `aws:SourceArn`, `aws:SourceAccount` and
/// `aws:SourceOwner` (keys compare case-insensitively, as IAM's do).
struct PolicyCondition: Sendable {
    enum Operator: String, CaseIterable, Sendable {
        case stringEquals = "StringEquals", stringNotEquals = "StringNotEquals", stringLike = "StringLike"
        case stringNotLike = "StringNotLike", arnEquals = "ArnEquals", arnNotEquals = "ArnNotEquals"
        case arnLike = "ArnLike", arnNotLike = "ArnNotLike"

        var negated: Bool { [.stringNotEquals, .stringNotLike, .arnNotEquals, .arnNotLike].contains(self) }
        var wildcards: Bool { [.stringLike, .stringNotLike, .arnLike, .arnNotLike].contains(self) }
    }

    let op: Operator
    /// Lower-cased.
    let key: String
    let values: [String]

    static func parse(_ block: Document) throws(AWSError) -> [PolicyCondition] {
        guard let operators = block.mapValue else { throw PolicyDocument.malformed("Syntax errors in policy. Condition must be an object") }
        var out: [PolicyCondition] = []
        for name in operators.keys.sorted() {
            guard let op = Operator(rawValue: name) else {
                let known = Operator.allCases.map(\.rawValue).joined(separator: ", ")
                throw PolicyDocument.malformed("Condition operator \(name) is not simulated (known: \(known))")
            }
            guard let tests = operators[name]?.mapValue else { throw PolicyDocument.malformed("Syntax errors in policy. \(name) must be an object") }
            for key in tests.keys.sorted() {
                let value = tests[key] ?? .null
                let values = value.stringValue.map { [$0] } ?? value.arrayValue?.compactMap(\.stringValue) ?? []
                guard !values.isEmpty else { throw PolicyDocument.malformed("Syntax errors in policy. \(name) \(key) needs string values") }
                out.append(PolicyCondition(op: op, key: key.lowercased(), values: values))
            }
        }
        return out
    }

    /// A key the request lacks fails a positive test and passes a negated one, as IAM does.
    func holds(in context: [String: String]) -> Bool {
        guard let actual = context[key] else { return op.negated }
        let hit = values.contains { op.wildcards ? Wildcard.matches(pattern: $0, actual) : $0 == actual }
        return hit != op.negated
    }
}

extension PolicyDocument {
    /// What a resource-based policy says about one request.
    public enum Verdict: Sendable, Equatable {
        case allow, deny, silent
    }

    /// Evaluates this resource-based policy for `principal` doing `action` on `resource`,
    /// with the request's condition keys (`context`, lower-cased keys): an explicit Deny
    /// wins, then an Allow.
    public func verdict(for principal: RequestPrincipal, action: String, resource: String, context: [String: String] = [:]) -> Verdict {
        var allowed = false
        for statement in statements {
            guard let principals = statement.principals, principals.includes(principal), statement.matches(action: action, resource: resource),
                statement.conditions.allSatisfy({ $0.holds(in: context) })
            else { continue }
            if !statement.allow { return .deny }
            allowed = true
        }
        return allowed ? .allow : .silent
    }
}
