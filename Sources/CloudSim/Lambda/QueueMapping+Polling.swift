import DocumentModel

/// Polling a queue for a trigger: batches go out while pollers and concurrency allow; a
/// batch's messages are deleted when the function succeeds (all but the failures it reports,
/// with ReportBatchItemFailures) and otherwise left to come back after the visibility
/// timeout (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
extension Lambda {
    func startPolling(_ mapping: QueueMapping) {
        mapping.generation += 1
        let generation = mapping.generation
        scheduler.schedule(after: .zero) { [weak self, weak mapping] in
            guard let self, let mapping else { return }
            self.poll(mapping, generation: generation)
        }
        scheduler.schedule(after: .minutes(1)) { [weak self, weak mapping] in
            guard let self, let mapping else { return }
            self.scale(mapping, generation: generation)
        }
    }

    private func schedulePoll(_ mapping: QueueMapping, after delay: VirtualDuration) {
        let generation = mapping.generation
        scheduler.schedule(after: delay) { [weak self, weak mapping] in
            guard let self, let mapping else { return }
            self.poll(mapping, generation: generation)
        }
    }

    /// Once a minute: up to 300 more batches in flight while messages wait and every poller
    /// is busy; back to five when the queue is empty.
    private func scale(_ mapping: QueueMapping, generation: Int) {
        guard !mapping.deleted, mapping.enabled, mapping.generation == generation, let queue = account?.sqs.queue(arn: mapping.queueArn) else { return }
        let waiting = queue.counts(at: scheduler.now).visible
        if waiting == 0 {
            mapping.pollers = 5
        } else if mapping.inFlight >= mapping.pollers {
            mapping.pollers = min(1000, mapping.pollers + 300)
        }
        scheduler.schedule(after: .minutes(1)) { [weak self, weak mapping] in
            guard let self, let mapping else { return }
            self.scale(mapping, generation: generation)
        }
    }

    private func poll(_ mapping: QueueMapping, generation: Int) {
        guard !mapping.deleted, mapping.enabled, mapping.generation == generation else { return }
        guard let sqs = account?.sqs, let queue = sqs.queue(arn: mapping.queueArn), let function = functions[mapping.functionName] else { return }
        if canPoll(mapping.queueArn, role: function.role) != nil { return schedulePoll(mapping, after: .seconds(10)) }
        let limit = min(mapping.pollers, mapping.maximumConcurrency ?? 1000)
        while mapping.inFlight < limit {
            let now = scheduler.now
            let ready = queue.receivable(at: now, limit: mapping.batchSize)
            guard let first = ready.first else { break }
            // A batch waits for BatchSize messages or for the window since its first was ready.
            if (ready.count < mapping.batchSize) && (mapping.batchingWindow > .zero) {
                let due = max(first.sentAt, first.visibleAt) + mapping.batchingWindow
                if due > now { return schedulePoll(mapping, after: due - now) }
            }
            let batch = sqs.receive(from: queue, limit: mapping.batchSize, visibility: nil)
            guard !batch.isEmpty else { break }
            mapping.inFlight += 1
            let event = Self.queueEvent(batch, queueArn: mapping.queueArn, region: region)
            invoke(function, event: event, inline: false) { [weak self, weak mapping] result in
                guard let self, let mapping else { return }
                mapping.inFlight -= 1
                self.completed(mapping, queue: queue, batch: batch, result: result)
            }
        }
        schedulePoll(mapping, after: .seconds(1))
    }

    private func completed(_ mapping: QueueMapping, queue: SQSQueue, batch: [SQS.Received], result: InvocationResult) {
        guard !mapping.deleted, let sqs = account?.sqs else { return }
        switch result.outcome {
        case .throttled, .failure:
            mapping.batchesFailed += 1
        case .success(let response):
            var keep = Set<String>()
            if mapping.reportBatchItemFailures, let failures = response["batchItemFailures"]?.arrayValue, !failures.isEmpty {
                let ids = Set(batch.map(\.message.messageID))
                let named = failures.map { $0["itemIdentifier"]?.stringValue ?? "" }
                // An empty or unknown identifier makes the whole batch a failure.
                keep = named.allSatisfy(ids.contains) ? Set(named) : ids
            }
            for received in batch where !keep.contains(received.message.messageID) {
                try? sqs.delete(handle: received.receiptHandle, in: queue)
            }
            if keep.isEmpty { mapping.batchesDelivered += 1 } else { mapping.batchesFailed += 1 }
        }
        schedulePoll(mapping, after: .zero)
    }

    /// The event Lambda sends for a batch of messages (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html).
    static func queueEvent(_ batch: [SQS.Received], queueArn: String, region: String) -> Document {
        .map(["Records": .array(batch.map { received in
            let m = received.message
            let attributes = m.systemAttributes().filter { $0.key != "DeadLetterQueueSourceArn" }
            let messageAttributes = m.attributes.mapValues { value -> Document in
                var a: [String: Document] = ["stringListValues": [], "binaryListValues": [], "dataType": value["DataType"] ?? ""]
                if let s = value["StringValue"] { a["stringValue"] = s }
                if let b = value["BinaryValue"]?.bytesValue { a["binaryValue"] = .string(Base64.encode(b)) }
                return .map(a)
            }
            return [
                "messageId": .string(m.messageID), "receiptHandle": .string(received.receiptHandle), "body": .string(m.body),
                "attributes": .map(attributes.mapValues(Document.string)), "messageAttributes": .map(messageAttributes),
                "md5OfBody": .string(m.md5OfBody), "eventSource": "aws:sqs", "eventSourceARN": .string(queueArn),
                "awsRegion": .string(region),
            ]
        })])
    }
}
