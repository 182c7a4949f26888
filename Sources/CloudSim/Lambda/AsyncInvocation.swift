import DocumentModel

/// Lambda's queue of asynchronous invocations (`InvocationType: Event`, SNS, EventBridge):
/// a function error is retried up to `MaximumRetryAttempts` times, one minute and then two
/// minutes later; a throttle goes back to the queue with a backoff from 1 s up to 5 minutes;
/// an event older than `MaximumEventAgeInSeconds` is discarded. The outcome's record goes to
/// the on-success or on-failure destination
/// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
extension Lambda {
    /// One event in the queue.
    final class AsyncEvent {
        let functionName: String
        let event: Document
        let queuedAt: VirtualTime
        let requestID: String
        /// Invocations that ran (throttles do not count).
        var attempts = 0
        var throttleDelay = VirtualDuration.seconds(1)
        var lastResponse: InvocationResult.Outcome?

        init(functionName: String, event: Document, queuedAt: VirtualTime, requestID: String) {
            self.functionName = functionName
            self.event = event
            self.queuedAt = queuedAt
            self.requestID = requestID
        }
    }

    /// Queues an event for `function`; the first attempt starts now.
    /// - Returns: the request ID the invocation's record carries.
    @discardableResult
    public func invokeAsync(_ function: LambdaFunction, event: Document) -> String {
        let queued = AsyncEvent(functionName: function.name, event: event, queuedAt: scheduler.now, requestID: random.uuid())
        attempt(queued)
        return queued.requestID
    }

    private func attempt(_ queued: AsyncEvent) {
        // A function deleted meanwhile takes its queue with it.
        guard let function = functions[queued.functionName] else { return }
        let config = function.eventInvokeConfig
        if scheduler.now - queued.queuedAt > (config?.eventAge ?? .seconds(21_600)) {
            return discard(queued, function, condition: "EventAgeExceeded")
        }
        // "When you set reserved concurrency to zero for an asynchronously invoked function,
        // Lambda begins immediately sending new events to the configured dead-letter queue or
        // the on-failure event destination, without any retries"
        // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
        if function.reservedConcurrency == 0 {
            return discard(queued, function, condition: "RetriesExhausted")
        }
        invoke(function, event: queued.event, inline: false) { [weak self] result in
            guard let self else { return }
            switch result.outcome {
            case .throttled:
                let delay = queued.throttleDelay
                queued.throttleDelay = min(delay + delay, .minutes(5))
                self.scheduler.schedule(at: self.scheduler.now + delay) { [weak self] in self?.attempt(queued) }
            case .success:
                queued.attempts += 1
                queued.lastResponse = result.outcome
                if let arn = function.eventInvokeConfig?.onSuccess {
                    self.sendRecord(self.asyncRecord(queued, function, condition: "Success"), to: arn, from: function)
                }
            case .failure:
                queued.attempts += 1
                queued.lastResponse = result.outcome
                let retries = function.eventInvokeConfig?.retries ?? 2
                guard queued.attempts <= retries else { return self.discard(queued, function, condition: "RetriesExhausted") }
                let wait: VirtualDuration = queued.attempts == 1 ? .minutes(1) : .minutes(2)
                self.scheduler.schedule(at: self.scheduler.now + wait) { [weak self] in self?.attempt(queued) }
            }
        }
    }

    private func discard(_ queued: AsyncEvent, _ function: LambdaFunction, condition: String) {
        logs.metrics[function.name, default: FunctionMetrics()].asyncEventsDropped += 1
        guard let arn = function.eventInvokeConfig?.onFailure else { return }
        sendRecord(asyncRecord(queued, function, condition: condition), to: arn, from: function)
    }

    /// The invocation record of an asynchronous invocation, as destinations receive it
    /// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
    private func asyncRecord(_ queued: AsyncEvent, _ function: LambdaFunction, condition: String) -> Document {
        var record: [String: Document] = [
            "version": "1.0", "timestamp": .string(UnixTimeText.iso8601(scheduler.now.unixSeconds)),
            "requestContext": [
                "requestId": .string(queued.requestID), "functionArn": .string(function.arn + ":$LATEST"), "condition": .string(condition),
                "approximateInvokeCount": .int(Int64(queued.attempts)),
            ],
            "requestPayload": queued.event,
        ]
        switch queued.lastResponse {
        case .success(let value)?:
            record["responseContext"] = ["statusCode": 200, "executedVersion": "$LATEST"]
            record["responsePayload"] = value
        case .failure(let type, let message)?:
            record["responseContext"] = ["statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"]
            record["responsePayload"] = ["errorType": .string(type), "errorMessage": .string(message)]
        case .throttled?, nil:
            break
        }
        return .map(record)
    }
}
