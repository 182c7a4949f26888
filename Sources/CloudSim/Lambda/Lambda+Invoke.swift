import Foundation
import DocumentModel

/// How an invocation ended.
public struct InvocationResult {
    public enum Outcome {
        case success(Document)
        /// The function failed: an error it raised, a timeout, a crash or an injected fault.
        case failure(errorType: String, message: String)
        /// No concurrency was available; the function did not run.
        case throttled
    }

    public let requestID: String
    public let outcome: Outcome
    public let start: VirtualTime
    public let end: VirtualTime

    public var succeeded: Bool {
        if case .success = outcome { return true }
        return false
    }
}

/// One invocation in flight.
final class Invocation {
    let function: LambdaFunction
    let environment: any FunctionEnvironment
    let revision: Int
    let context: InvocationContext
    let start: VirtualTime
    /// A cold start's init time (nil when a warm environment took the invocation).
    let initDuration: VirtualDuration?
    let inline: Bool
    let completion: (InvocationResult) -> Void
    var execution: (any HandlerExecution)?

    init(
        function: LambdaFunction, environment: any FunctionEnvironment, revision: Int, context: InvocationContext, start: VirtualTime,
        initDuration: VirtualDuration?, inline: Bool, completion: @escaping (InvocationResult) -> Void
    ) {
        self.function = function
        self.environment = environment
        self.revision = revision
        self.context = context
        self.start = start
        self.initDuration = initDuration
        self.inline = inline
        self.completion = completion
    }
}

extension Lambda {
    /// Whether one more invocation of `function` may start now.
    func hasConcurrency(for function: LambdaFunction) -> Bool {
        if let reserved = function.reservedConcurrency { return function.running < reserved }
        let reserved = functions.values.compactMap(\.reservedConcurrency).reduce(0, +)
        let unreservedRunning = functions.values.filter { $0.reservedConcurrency == nil }.reduce(0) { $0 + $1.running }
        return unreservedRunning < accountConcurrency - reserved
    }

    /// Starts an invocation. With `inline` the handler runs to its end before this returns
    /// (synchronous Invoke); otherwise it runs in virtual time and `completion` is called at
    /// its end time.
    public func invoke(
        _ function: LambdaFunction, event: any DocumentWritable, inline: Bool, completion: @escaping (InvocationResult) -> Void
    ) {
        let now = scheduler.now
        let requestID = random.uuid()
        if !hasConcurrency(for: function) || faults?.throttle(function: function.name, time: now) == true {
            logs.metrics[function.name, default: FunctionMetrics()].throttles += 1
            completion(InvocationResult(requestID: requestID, outcome: .throttled, start: now, end: now))
            return
        }
        function.running += 1
        var metrics = logs.metrics[function.name, default: FunctionMetrics()]
        metrics.concurrentExecutions = function.running
        metrics.maxConcurrentExecutions = max(metrics.maxConcurrentExecutions, function.running)
        logs.metrics[function.name] = metrics

        var start = now + Self.invokeOverhead
        let environment: any FunctionEnvironment
        var initDuration: VirtualDuration?
        if let index = function.idle.lastIndex(where: { $0.revision == function.revision }) {
            environment = function.idle.remove(at: index).environment
        } else {
            start = start + latency.coldStart
            initDuration = latency.coldStart
            do {
                guard let runtime else {
                    throw FunctionCodeError(errorType: "Runtime.InvalidRuntime", message: "No runtime is installed for \(function.runtime)")
                }
                let group = function.logGroup
                environment = try runtime.makeEnvironment(for: function) { [weak self] time, line in
                    self?.logs.append(group: group, time: time, line)
                }
            } catch let error as FunctionCodeError {
                let context = InvocationContext(
                    functionName: function.name, requestID: requestID, memoryLimitMB: function.memorySize, start: start,
                    deadline: start + .seconds(Double(function.timeout)))
                logs.append(group: function.logGroup, time: start, "START RequestId: \(requestID) Version: $LATEST")
                finish(function, context: context, environment: nil, revision: function.revision, start: start, at: start,
                    initDuration: initDuration, outcome: .failure(errorType: error.errorType, message: error.message), inline: inline,
                    completion: completion)
                return
            } catch {
                function.running -= 1
                completion(InvocationResult(requestID: requestID, outcome: .failure(errorType: "Runtime.Unknown", message: "\(error)"), start: now, end: now))
                return
            }
        }
        let context = InvocationContext(
            functionName: function.name, requestID: requestID, memoryLimitMB: function.memorySize, start: start,
            deadline: start + .seconds(Double(function.timeout)))
        let invocation = Invocation(
            function: function, environment: environment, revision: function.revision, context: context, start: start,
            initDuration: initDuration, inline: inline, completion: completion)
        logs.append(group: function.logGroup, time: start, "START RequestId: \(requestID) Version: $LATEST")
        if let message = faults?.fault(function: function.name, requestID: requestID, point: .beforeHandler, time: start) {
            end(invocation, at: start, .failure(errorType: "Sandbox.Fault", message: message))
            return
        }
        invocation.execution = environment.start(event: event, context: context)
        if inline {
            advance(invocation, with: nil)
        } else {
            scheduler.schedule(at: start) { [self] in advance(invocation, with: nil) }
        }
    }

    /// Runs the handler to its next request and acts on it; loops while the invocation is inline.
    private func advance(_ invocation: Invocation, with first: Result<any DocumentWritable, AWSError>?) {
        var outcome = first
        while true {
            guard let execution = invocation.execution else { return }
            let context = invocation.context
            let (step, instructions) = execution.resume(with: outcome)
            invocation.function.instructionsRun += instructions
            instructionsRun += instructions
            context.now = context.now + latency.cost(instructions: instructions)
            if context.now >= context.deadline { return timeOut(invocation) }
            switch step {
            case .call(let service, let operation, let request):
                if let message = faults?.fault(function: invocation.function.name, requestID: context.requestID, point: .betweenCalls, time: context.now) {
                    return end(invocation, at: context.now, .failure(errorType: "Sandbox.Fault", message: message))
                }
                // Looked up once: the call's latency and its execution both need it.
                let descriptor = Result { () throws(AWSError) in try ServiceRegistry.shared.descriptor(service, operation) }
                let done = context.now + ((try? descriptor.get())?.duration(request) ?? latency.unknownOperation)
                if done >= context.deadline { return timeOut(invocation) }
                let identity = Identity.role(arn: invocation.function.role, session: invocation.function.name)
                // An injected SDK error takes the call's time and answers in place of the service.
                let refused = faults?.sdkError(function: invocation.function.name, service: service, operation: operation, request: request, time: context.now)
                if invocation.inline {
                    // The caller (an actions file, a command) waits with the clock stopped:
                    // to it, the whole invocation takes no time, and nothing runs beside it.
                    outcome = refused.map { .failure($0) } ?? perform(identity, descriptor, request, nil)
                    context.now = done
                    continue
                }
                let window = CallWindow(start: context.now, end: done)
                if scheduler.advanceIfNext(to: done) {
                    context.now = done
                    outcome = refused.map { .failure($0) } ?? perform(identity, descriptor, request, window)
                    continue
                }
                scheduler.schedule(at: done) { [self] in
                    context.now = done
                    advance(invocation, with: refused.map { .failure($0) } ?? perform(identity, descriptor, request, window))
                }
                return
            case .sleep(let duration):
                let done = context.now + duration
                if done >= context.deadline { return timeOut(invocation) }
                if invocation.inline || scheduler.advanceIfNext(to: done) {
                    context.now = done
                    outcome = .success(Document.null)
                    continue
                }
                scheduler.schedule(at: done) { [self] in
                    context.now = done
                    advance(invocation, with: .success(Document.null))
                }
                return
            case .returned(let value):
                if let message = faults?.fault(function: invocation.function.name, requestID: context.requestID, point: .afterHandler, time: context.now) {
                    return end(invocation, at: context.now, .failure(errorType: "Sandbox.Fault", message: message))
                }
                return end(invocation, at: context.now, .success(value))
            case .raised(let type, let message):
                return end(invocation, at: context.now, .failure(errorType: type, message: message))
            case .exhausted:
                logs.incident(
                    invocation.function.name, at: context.now, "instruction limit",
                    "the handler ran too many instructions without an SDK call (an endless loop?)")
                return timeOut(invocation, recorded: true)
            case .outOfMemory(let message):
                logs.incident(invocation.function.name, at: context.now, "out of memory", message)
                return end(invocation, at: context.now, .failure(errorType: "Runtime.OutOfMemory", message: message), keepEnvironment: false)
            }
        }
    }

    private func perform(
        _ identity: Identity, _ descriptor: Result<OperationDescriptor, AWSError>, _ request: SDKRequest, _ window: CallWindow?
    ) -> Result<any DocumentWritable, AWSError> {
        guard let perform = self.perform else { return .failure(AWSError("ServiceUnavailable", "The account is not connected")) }
        do { return .success(try perform(identity, try descriptor.get(), request, window)) } catch let error as AWSError {
            return .failure(error)
        } catch {
            return .failure(AWSError("InternalFailure", "\(error)"))
        }
    }

    private func timeOut(_ invocation: Invocation, recorded: Bool = false) {
        let seconds = String(format: "%.2f", Double(invocation.function.timeout))
        let message = "Task timed out after \(seconds) seconds"
        if !recorded { logs.incident(invocation.function.name, at: invocation.context.deadline, "timeout", message) }
        logs.append(
            group: invocation.function.logGroup, time: invocation.context.deadline,
            "\(invocation.context.requestID) \(message)")
        end(invocation, at: invocation.context.deadline, .failure(errorType: "Sandbox.Timedout", message: message), keepEnvironment: false)
    }

    private func end(_ invocation: Invocation, at time: VirtualTime, _ outcome: InvocationResult.Outcome, keepEnvironment: Bool = true) {
        invocation.execution = nil
        finish(
            invocation.function, context: invocation.context, environment: keepEnvironment ? invocation.environment : nil,
            revision: invocation.revision, start: invocation.start, at: time, initDuration: invocation.initDuration, outcome: outcome,
            inline: invocation.inline, completion: invocation.completion)
    }

    /// Logs the end, updates metrics, returns the environment and reports the result at `time`.
    private func finish(
        _ function: LambdaFunction, context: InvocationContext, environment: (any FunctionEnvironment)?, revision: Int,
        start: VirtualTime, at time: VirtualTime, initDuration: VirtualDuration?, outcome: InvocationResult.Outcome, inline: Bool,
        completion: @escaping (InvocationResult) -> Void
    ) {
        let requestID = context.requestID
        let complete = { [self] in
            var metrics = logs.metrics[function.name, default: FunctionMetrics()]
            if case .failure(let type, let message) = outcome {
                let line = "[ERROR] \(type): \(message)"
                if type == "Sandbox.Timedout" {
                    metrics.timeouts += 1
                } else {
                    logs.append(group: function.logGroup, time: time, line)
                }
                metrics.errorTypes[type, default: 0] += 1
                if metrics.errorExamples[type] == nil { metrics.errorExamples[type] = type == "Sandbox.Timedout" ? message : line }
            }
            let duration = time - start
            logs.append(group: function.logGroup, time: time, "END RequestId: \(requestID)")
            // Billed in whole milliseconds, at least one; a cold start adds its Init Duration
            // (https://docs.aws.amazon.com/lambda/latest/operatorguide/log-structure.html).
            var report = "REPORT RequestId: \(requestID)\tDuration: \(Self.twoDecimals(duration.micros)) ms\tBilled Duration: \(max(1, (duration.micros + 999) / 1000)) ms\tMemory Size: \(function.memorySize) MB"
            if let initDuration { report += "\tInit Duration: \(Self.twoDecimals(initDuration.micros)) ms" }
            logs.append(group: function.logGroup, time: time, report)
            metrics.invocations += 1
            if case .failure = outcome { metrics.errors += 1 }
            metrics.totalDuration = metrics.totalDuration + duration
            metrics.maxDuration = max(metrics.maxDuration, duration)
            function.running -= 1
            metrics.concurrentExecutions = function.running
            logs.metrics[function.name] = metrics
            if let environment, revision == function.revision { function.idle.append((revision, environment)) }
            completion(InvocationResult(requestID: requestID, outcome: outcome, start: start, end: time))
        }
        if inline || time <= scheduler.now { complete() } else { scheduler.schedule(at: time, complete) }
    }

    /// Microseconds as milliseconds with two decimals (String(format:) is slow on this path).
    /// The platform's own time to start an invocation: the Invoke operation's latency.
    static let invokeOverhead = ServiceRegistry.shared.operation(.lambda, "Invoke")?.latency ?? .milliseconds(2)

    static func twoDecimals(_ micros: Int64) -> String {
        let hundredths = (micros + 5) / 10
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// The Invoke API: RequestResponse runs the function to its end now; Event queues it
    /// (with the retries and destinations of asynchronous invocation).
    func invokeOperation(_ p: Params) throws -> Document {
        let function = try function(try p.string("FunctionName"))
        let type = try p.choice("InvocationType", ["RequestResponse", "Event", "DryRun"], default: "RequestResponse")
        var event: Document = [:]
        // Lambda's invocation payload quotas: 6 MB synchronous, 1 MB asynchronous
        // (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
        let limit = type == "Event" ? 1_048_576 : 6_291_456
        if let size = p["Payload"]?.bytesValue?.count, size > limit {
            throw AWSError("RequestTooLargeException", "Request must be smaller than \(limit) bytes for the InvokeFunction operation")
        }
        if let payload = p["Payload"] {
            if let text = payload.stringValue {
                do { event = try Document(jsonText: text) } catch {
                    throw AWSError("InvalidRequestContentException", "Could not parse request body into json: \(error.description)")
                }
            } else {
                event = payload
            }
        }
        // With LogType Tail, "the last 4 KB of the execution log, which is base64-encoded"
        // (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html). An inline
        // invocation runs alone, so every line the group gets meanwhile is its own.
        let tail = try p.choice("LogType", ["None", "Tail"], default: "None") == "Tail" && type == "RequestResponse"
        let logged = logs.appended[function.logGroup] ?? 0
        func withLog(_ response: Document) -> Document {
            guard tail, case .map(var fields) = response else { return response }
            let text = logs.lines(of: function.logGroup, since: logged).map { $0.message + "\n" }.joined()
            fields["LogResult"] = .string(Base64.encode(Array(text.utf8.suffix(4096))))
            return .map(fields)
        }
        switch type {
        case "DryRun": return ["StatusCode": 204]
        case "Event":
            invokeAsync(function, event: event)
            return ["StatusCode": 202]
        default:
            var result: InvocationResult?
            invoke(function, event: event, inline: true) { result = $0 }
            guard let result else { throw AWSError("ServiceException", "The invocation did not finish") }
            switch result.outcome {
            case .throttled: throw AWSError("TooManyRequestsException", "Rate Exceeded.")
            case .success(let value):
                return withLog(["StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": .string((try? value.jsonText()) ?? "null")])
            case .failure(let type, let message):
                let payload: Document = ["errorType": .string(type), "errorMessage": .string(message)]
                return withLog([
                    "StatusCode": 200, "ExecutedVersion": "$LATEST", "FunctionError": "Unhandled",
                    "Payload": .string((try? payload.jsonText()) ?? "{}"),
                ])
            }
        }
    }
}
