/// How a step's check came out.
public enum StepStatus: String, Sendable {
    /// The check returned true.
    case passed
    /// The check returned false: the learner has something left to do.
    case failed
    /// The check itself broke (it raised, returned a non-boolean, hit a limit or named an
    /// unknown hint): the author's problem, never the learner's.
    case error
    /// The world never ran (the learner's actions stopped with an error), so nothing was checked.
    case notGraded = "not-graded"
}

/// One step's verdict.
public struct StepResult: Equatable, Sendable {
    public let id: String
    public let title: String
    public let status: StepStatus
    public let message: String
    /// The hint the check named as fitting (its third value), when it named one.
    public let hint: String?
    /// Virtual seconds after the learner's start when the check first passed.
    public let passedAt: Double?

    public init(id: String, title: String, status: StepStatus, message: String, hint: String? = nil, passedAt: Double? = nil) {
        self.id = id
        self.title = title
        self.status = status
        self.message = message
        self.hint = hint
        self.passedAt = passedAt
    }

    public var passed: Bool { status == .passed }

    func firstPassed(at seconds: Double?) -> StepResult {
        StepResult(id: id, title: title, status: status, message: message, hint: hint, passedAt: seconds)
    }
}
