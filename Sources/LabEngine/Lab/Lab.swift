import DocumentModel
import LuaBridge

/// A step of a lab: what to do, how to check it, and the reference solution.
public struct Step {
    public let id: String
    public let title: String
    /// Markdown instructions (the text of the file when the lab named one).
    public let instructions: String
    /// The step's hints, `default` first (see ``Hint``).
    public let hints: [Hint]
    let check: any DocumentCallable
    let solve: (any DocumentCallable)?
    /// Runs (as the administrator) when the previous step first passes, or at the start for
    /// the first step: how an author breaks something once the learner gets there.
    let setup: (any DocumentCallable)?
}

/// A failure mode a lab turns on: an engine primitive, parameterised.
struct FailureSpec {
    /// `plugin.name` as registered.
    let mode: String
    let kind: FaultKind
    /// The phase in which it is active (nil: always).
    let phase: String?
    /// Probability per function name.
    let rates: [String: Double]
    /// The line each rate is on, to name it when it names no function of the world.
    let rateLines: [String: Int]
    /// Where an invocation error happens; nil means a random point each time.
    let point: String?
    /// The lab file that turns it on.
    let file: String
    /// For `sdk-error` modes: the error and the service.
    var error: SDKFault? = nil
}

/// A loaded, validated lab.
public final class Lab {
    public let id: String
    public let title: String
    /// One paragraph about the lab, for `list` and `show`.
    public let summary: String?
    public let directory: String
    public let file: String
    public let parent: Lab?
    public let region: String
    public let accountID: String
    public let plugins: [String]
    public let minutes: Int
    /// How long the starting world has existed when the learner starts, in seconds: its
    /// schedules have been running that long (the workshop's generator fires 5 s in).
    public let worldAge: Int
    public let startScore: Int
    public let initialPhase: String?
    public let steps: [Step]
    /// Function code learners edit: function name → path relative to the lab folder.
    public let functions: [String: String]
    /// How often, in virtual seconds, the steps' checks run while time passes.
    public let checkEvery: Int
    /// Seconds of virtual CPU time all functions together may use per virtual minute of a
    /// run (the grader's budget, see ``FunctionCPUBudget``).
    public let functionCPUPerMinute: Int
    let world: (any DocumentCallable)?
    let maxScore: Document
    let passing: (any DocumentCallable)?
    let scoringRule: (any DocumentCallable)?
    let scoringParams: Document
    let failures: [FailureSpec]
    /// The Lua state the lab's functions live in.
    let state: LabState

    init(
        id: String, title: String, summary: String?, directory: String, file: String, parent: Lab?, region: String, accountID: String,
        plugins: [String], minutes: Int, worldAge: Int, startScore: Int, initialPhase: String?, steps: [Step], functions: [String: String], checkEvery: Int,
        functionCPUPerMinute: Int, world: (any DocumentCallable)?, maxScore: Document, passing: (any DocumentCallable)?,
        scoringRule: (any DocumentCallable)?, scoringParams: Document, failures: [FailureSpec], state: LabState
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.directory = directory
        self.file = file
        self.parent = parent
        self.region = region
        self.accountID = accountID
        self.plugins = plugins
        self.minutes = minutes
        self.worldAge = worldAge
        self.startScore = startScore
        self.initialPhase = initialPhase
        self.steps = steps
        self.functions = functions
        self.checkEvery = checkEvery
        self.functionCPUPerMinute = functionCPUPerMinute
        self.world = world
        self.maxScore = maxScore
        self.passing = passing
        self.scoringRule = scoringRule
        self.scoringParams = scoringParams
        self.failures = failures
        self.state = state
    }

    /// The lab and its ancestors, the root first.
    var chain: [Lab] { (parent?.chain ?? []) + [self] }

    /// The most points a run of `minutes` can earn.
    func maxScore(minutes: Int) throws -> Int {
        switch maxScore {
        case .int(let i): return Int(i)
        case .double(let d): return Int(d)
        case .callable(let f):
            let result = try f.call([.int(Int64(minutes))])
            guard let value = result.first?.intValue else {
                throw LabError(file: file, message: "max_score(minutes) must return a whole number")
            }
            return Int(value)
        default: return 0
        }
    }
}
