import DocumentModel

/// What a running handler asks of the platform next.
public enum HandlerStep {
    /// An SDK call, performed with the function's role.
    case call(service: String, operation: String, request: SDKRequest)
    /// The handler waits (`time.sleep`) without using the CPU.
    case sleep(VirtualDuration)
    /// The handler returned.
    case returned(Document)
    /// The handler raised an error.
    case raised(errorType: String, message: String)
    /// The handler ran out of instructions (it can only end in a timeout).
    case exhausted
    /// The handler ran out of memory.
    case outOfMemory(String)
}

/// One invocation's handler, run step by step: the platform performs each SDK call in
/// virtual time and resumes the handler with its outcome.
public protocol HandlerExecution: AnyObject {
    /// Runs the handler until its next request. The first call passes nil.
    /// - Returns: the step and the instructions the handler ran to get there.
    func resume(with outcome: Result<any DocumentWritable, AWSError>?) -> (step: HandlerStep, instructions: Int)
}

/// Facts an invocation's handler may read (`context` in Lambda).
public final class InvocationContext {
    public let functionName: String
    public let requestID: String
    public let memoryLimitMB: Int
    public let deadline: VirtualTime
    /// The invocation's own clock: it runs ahead of the scheduler while the handler works.
    public internal(set) var now: VirtualTime

    init(functionName: String, requestID: String, memoryLimitMB: Int, start: VirtualTime, deadline: VirtualTime) {
        self.functionName = functionName
        self.requestID = requestID
        self.memoryLimitMB = memoryLimitMB
        self.now = start
        self.deadline = deadline
    }

    /// Milliseconds left before the function times out.
    public var remainingMilliseconds: Int64 { max(0, (deadline - now).micros / 1000) }
}

/// An execution environment: one loaded copy of the function's code. Lambda keeps
/// environments warm and gives each one invocation at a time.
public protocol FunctionEnvironment: AnyObject {
    /// Starts the handler for one event (a document, or a batch of records that writes itself).
    func start(event: any DocumentWritable, context: InvocationContext) -> any HandlerExecution
}

/// Turns function code into environments. The lab engine provides the Lua runtime; the
/// cloud itself runs no code.
public protocol FunctionRuntime: AnyObject {
    /// Loads the function's code into a new environment (a cold start).
    /// - Parameter log: receives each line the code prints, with the invocation's time.
    /// - Throws: ``FunctionCodeError`` when the code does not load.
    func makeEnvironment(for function: LambdaFunction, log: @escaping (VirtualTime, String) -> Void) throws -> any FunctionEnvironment
}

/// Function code that does not load (a syntax error, no handler returned).
public struct FunctionCodeError: Error, Sendable {
    /// Lambda's error type, e.g. `Runtime.UserCodeSyntaxError`.
    public let errorType: String
    public let message: String

    public init(errorType: String, message: String) {
        self.errorType = errorType
        self.message = message
    }
}

/// Where the platform may make an invocation fail, whatever the code does.
public enum FaultPoint: String, Sendable, CaseIterable {
    /// Before the handler runs: nothing it would do happens.
    case beforeHandler = "before"
    /// When the handler makes an SDK call: the calls before it took effect, it and those after do not.
    case betweenCalls = "between"
    /// After the handler returned: all its writes happened, but the invocation reports an error.
    case afterHandler = "after"
}

/// Platform-level failure injection, consulted by Lambda and event source mappings.
public protocol FaultInjector: AnyObject {
    /// An error message when the invocation should fail at this point, else nil.
    func fault(function: String, requestID: String, point: FaultPoint, time: VirtualTime) -> String?
    /// Whether a successfully processed batch should be delivered again.
    func redeliver(function: String, time: VirtualTime) -> Bool
    /// Whether this invocation should be throttled although concurrency is available.
    func throttle(function: String, time: VirtualTime) -> Bool
    /// The error one of the function's SDK calls gets instead of its answer (a throttling
    /// error the SDK's own retries did not get past), else nil.
    func sdkError(function: String, service: String, operation: String, request: SDKRequest, time: VirtualTime) -> AWSError?
}
