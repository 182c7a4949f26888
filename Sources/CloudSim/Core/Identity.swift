/// Who makes a call: the account's administrator (actions files, lab setup) or a role
/// assumed by a function.
public enum Identity: Sendable {
    case admin
    /// A role session: `arn` of the role, `session` its session name (the function's name).
    case role(arn: String, session: String)
}
