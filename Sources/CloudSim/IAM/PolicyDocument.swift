import DocumentModel

/// A parsed IAM policy document: an identity-based policy (attached to a role) or a
/// resource-based one (a queue's, a topic's or a function's), which names its principals.
public struct PolicyDocument: Sendable {
    /// Where a policy is attached, which decides whether its statements name principals.
    public enum Kind: Sendable {
        case identity
        case resource
    }

    public struct Statement: Sendable {
        public let sid: String?
        public let allow: Bool
        /// Action patterns (lower-cased), and whether they are a NotAction list.
        let actions: [String]
        let notAction: Bool
        let resources: [String]
        let notResource: Bool
        /// Whom a resource-based statement applies to (nil in identity-based policies).
        let principals: PolicyPrincipals?
        let conditions: [PolicyCondition]

        func matches(action: String, resource: String) -> Bool {
            let a = action.lowercased()
            let actionHit = actions.contains { Wildcard.matches(pattern: $0, a) }
            guard actionHit != notAction else { return false }
            let resourceHit = resources.contains { Wildcard.matches(pattern: $0, resource) }
            return resourceHit != notResource
        }
    }

    public let statements: [Statement]
    /// The document's text as given.
    public let text: String

    /// Parses AWS's JSON policy grammar. An identity-based policy may not name a principal
    /// and may not have conditions here; a resource-based one must name its principals.
    /// - Throws: ``AWSError`` MalformedPolicyDocument with the reason.
    public init(text: String, kind: Kind = .identity) throws(AWSError) {
        self.text = text
        let json: Document
        do { json = try Document(jsonText: text) } catch {
            throw Self.malformed("Syntax errors in policy. (\(error.description))")
        }
        guard case .map(let top) = json else { throw Self.malformed("Syntax errors in policy.") }
        for key in top.keys where !["Version", "Id", "Statement"].contains(key) {
            throw Self.malformed("Syntax errors in policy. Unknown field \(key)")
        }
        if let version = top["Version"] {
            guard let v = version.stringValue, ["2012-10-17", "2008-10-17"].contains(v) else {
                throw Self.malformed("The policy failed legacy parsing")
            }
        }
        let raw: [Document]
        switch top["Statement"] {
        case .map(let m)?: raw = [.map(m)]
        case .array(let a)?: raw = a
        default: throw Self.malformed("Syntax errors in policy. The policy has no Statement")
        }
        if raw.isEmpty { throw Self.malformed("Syntax errors in policy. Statement is empty") }
        var parsed: [Statement] = []
        for entry in raw {
            guard case .map(let s) = entry else { throw Self.malformed("Syntax errors in policy. A statement must be an object") }
            for key in s.keys where !["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"].contains(key) {
                throw Self.malformed("Syntax errors in policy. Unknown field \(key)")
            }
            guard let effect = s["Effect"]?.stringValue, effect == "Allow" || effect == "Deny" else {
                throw Self.malformed("Syntax errors in policy. Effect must be Allow or Deny")
            }
            var principals: PolicyPrincipals?
            var conditions: [PolicyCondition] = []
            switch kind {
            case .identity:
                if s["Principal"] != nil || s["NotPrincipal"] != nil {
                    throw Self.malformed("Policy document should not specify a principal.")
                }
                if s["Condition"] != nil {
                    throw Self.malformed("Condition blocks are not supported in identity-based policies by the simulator (see docs/fidelity.md)")
                }
            case .resource:
                if s["NotPrincipal"] != nil { throw Self.malformed("NotPrincipal is not supported by the simulator (see docs/fidelity.md)") }
                guard let principal = s["Principal"] else { throw Self.malformed("Statement is missing required element Principal") }
                principals = try PolicyPrincipals(principal)
                if let condition = s["Condition"] { conditions = try PolicyCondition.parse(condition) }
            }
            let (actions, notAction) = try Self.list(s, "Action", "NotAction")
            for action in actions where action != "*" {
                let parts = action.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw Self.malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
                }
            }
            let (resources, notResource) = try Self.list(s, "Resource", "NotResource")
            for resource in resources where resource != "*" && !resource.hasPrefix("arn:") {
                throw Self.malformed("Resource \(resource) must be in ARN format or \"*\".")
            }
            parsed.append(
                Statement(
                    sid: s["Sid"]?.stringValue, allow: effect == "Allow", actions: actions.map { $0.lowercased() }, notAction: notAction,
                    resources: resources, notResource: notResource, principals: principals, conditions: conditions))
        }
        statements = parsed
    }

    static func malformed(_ reason: String) -> AWSError { AWSError("MalformedPolicyDocumentException", reason) }

    /// Reads `Action` or `NotAction` (exactly one), as a string or a list of strings.
    private static func list(_ s: [String: Document], _ name: String, _ negated: String) throws(AWSError) -> ([String], Bool) {
        let value: Document
        let isNot: Bool
        switch (s[name], s[negated]) {
        case (let v?, nil):
            value = v
            isNot = false
        case (nil, let v?):
            value = v
            isNot = true
        case (nil, nil): throw malformed("Policy statement must contain \(name.lowercased())s.")
        default: throw malformed("Syntax errors in policy. A statement cannot have both \(name) and \(negated)")
        }
        if let single = value.stringValue { return ([single], isNot) }
        guard let items = value.arrayValue, !items.isEmpty else { throw malformed("Syntax errors in policy. \(name) must be a string or a list of strings") }
        var out: [String] = []
        for item in items {
            guard let text = item.stringValue else { throw malformed("Syntax errors in policy. \(name) must be a string or a list of strings") }
            out.append(text)
        }
        return (out, isNot)
    }
}

/// IAM's wildcards: `*` any run of characters, `?` any one character.
enum Wildcard {
    static func matches(pattern: String, _ text: String) -> Bool {
        if pattern == "*" { return true }
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
