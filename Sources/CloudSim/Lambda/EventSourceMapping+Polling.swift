import DocumentModel

extension Lambda {
    /// (Re)starts reading: one lane per shard and parallelization slot.
    func startPolling(_ mapping: EventSourceMapping) {
        mapping.generation += 1
        let source = mapping.source
        var resume: [Int: Int] = [:]
        for lane in mapping.lanes { resume[lane.shard] = min(resume[lane.shard] ?? Int.max, lane.queue.first?.first ?? lane.position) }
        mapping.lanes = []
        for shard in 0..<source.shardCount {
            let start = resume[shard] ?? startingIndex(mapping, shard: shard)
            for slot in 0..<mapping.parallelization {
                let lane = EventSourceMapping.Lane(shard: shard, slot: slot)
                lane.position = start
                mapping.lanes.append(lane)
            }
        }
        let generation = mapping.generation
        for lane in mapping.lanes {
            scheduler.schedule(after: .zero) { [weak self, weak mapping] in
                guard let self, let mapping else { return }
                self.poll(mapping, lane, generation: generation)
            }
        }
    }

    /// Where a shard is first read: its oldest record, its end, or the first record that
    /// arrived at the mapping's timestamp.
    private func startingIndex(_ mapping: EventSourceMapping, shard: Int) -> Int {
        let source = mapping.source
        switch mapping.startingPosition {
        case "TRIM_HORIZON": return source.firstIndex(shard)
        case "AT_TIMESTAMP":
            guard let timestamp = mapping.startingTimestamp else { return source.endIndex(shard) }
            return (source.firstIndex(shard)..<source.endIndex(shard)).first { source.arrival(shard, $0) >= timestamp }
                ?? source.endIndex(shard)
        default: return source.endIndex(shard)
        }
    }

    private func schedulePoll(_ mapping: EventSourceMapping, _ lane: EventSourceMapping.Lane, after delay: VirtualDuration) {
        let generation = mapping.generation
        scheduler.schedule(after: delay) { [weak self, weak mapping] in
            guard let self, let mapping else { return }
            self.poll(mapping, lane, generation: generation)
        }
    }

    /// Which parallelization slot a record belongs to: records of one partition key share a slot.
    private func slot(of key: String, among count: Int) -> Int {
        guard count > 1 else { return 0 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }

    private func poll(_ mapping: EventSourceMapping, _ lane: EventSourceMapping.Lane, generation: Int) {
        guard !mapping.deleted, mapping.enabled, mapping.generation == generation, !lane.busy else { return }
        let source = mapping.source
        guard source.isAvailable, let function = functions[mapping.functionName] else {
            mapping.lastProcessingResult = "PROBLEM: The event source or the function no longer exists."
            return
        }
        if !canPoll(mapping, role: function.role) {
            mapping.lastProcessingResult = "PROBLEM: Lambda cannot read from the stream: the role lacks permission."
            return schedulePoll(mapping, lane, after: .seconds(10))
        }
        if lane.queue.isEmpty {
            lane.position = max(lane.position, source.firstIndex(lane.shard))
            var batch: [Int] = []
            var index = lane.position
            let end = source.endIndex(lane.shard)
            while index < end, batch.count < mapping.batchSize {
                if mapping.parallelization == 1 || slot(of: source.partitionKey(lane.shard, index), among: mapping.parallelization) == lane.slot {
                    batch.append(index)
                }
                index += 1
            }
            guard let first = batch.first else { return schedulePoll(mapping, lane, after: source.pollInterval) }
            if (batch.count < mapping.batchSize) && (mapping.batchingWindow > .zero) {
                let ready = source.arrival(lane.shard, first) + mapping.batchingWindow
                if ready > scheduler.now {
                    let generation = mapping.generation
                    scheduler.schedule(at: ready) { [weak self, weak mapping] in
                        guard let self, let mapping else { return }
                        self.poll(mapping, lane, generation: generation)
                    }
                    return
                }
            }
            lane.queue = [batch]
            lane.attempts = 0
            lane.redelivered = false
        }
        deliver(mapping, lane, function)
    }

    private func deliver(_ mapping: EventSourceMapping, _ lane: EventSourceMapping.Lane, _ function: LambdaFunction) {
        guard var batch = lane.queue.first else { return }
        let source = mapping.source
        // MaximumRecordAgeInSeconds holds for every record Lambda would send: a backlog read
        // late, or a batch that waited out throttles or retries, loses its expired records.
        if mapping.maxRecordAge >= 0 {
            let limit = VirtualDuration.seconds(Double(mapping.maxRecordAge))
            let expired = batch.prefix { scheduler.now - source.arrival(lane.shard, $0) > limit }
            if !expired.isEmpty {
                mapping.recordsExpired += expired.count
                sendOnFailure(mapping, shard: lane.shard, batch: Array(expired), condition: .recordAgeExceeded, invokeCount: lane.attempts)
                advance(mapping, lane, past: Array(expired))
                batch.removeFirst(expired.count)
                if batch.isEmpty {
                    mapping.batchesDiscarded += 1
                    lane.queue.removeFirst()
                    lane.attempts = 0
                    return schedulePoll(mapping, lane, after: .zero)
                }
                lane.queue[0] = batch
            }
        }
        let event = source.event(lane.shard, batch)
        if let last = batch.last {
            var metrics = logs.metrics[function.name, default: FunctionMetrics()]
            metrics.maxIteratorAge = max(metrics.maxIteratorAge, scheduler.now - source.arrival(lane.shard, last))
            logs.metrics[function.name] = metrics
        }
        lane.busy = true
        let generation = mapping.generation
        invoke(function, event: event, inline: false) { [weak self, weak mapping] result in
            guard let self, let mapping else { return }
            lane.busy = false
            guard !mapping.deleted, mapping.generation == generation else { return }
            self.completed(mapping, lane, batch: batch, result: result)
        }
    }

    private func completed(_ mapping: EventSourceMapping, _ lane: EventSourceMapping.Lane, batch: [Int], result: InvocationResult) {
        let source = mapping.source
        switch result.outcome {
        case .throttled:
            // Throttles are retried and never count toward MaximumRetryAttempts.
            mapping.lastProcessingResult = "PROBLEM: Function call failed (throttled)."
            return schedulePoll(mapping, lane, after: .seconds(1))
        case .success(let response):
            if mapping.reportBatchItemFailures, let failedIndex = lowestFailure(response, batch: batch, lane: lane, source: source) {
                // Checkpoint before the lowest failed record and retry from it.
                if let cut = batch.firstIndex(of: failedIndex), cut > 0 { advance(mapping, lane, past: Array(batch[..<cut])) }
                lane.queue[0] = Array(batch.drop { $0 != failedIndex })
                return failed(mapping, lane)
            }
            if !lane.redelivered, faults?.redeliver(function: mapping.functionName, time: scheduler.now) == true {
                lane.redelivered = true
                return schedulePoll(mapping, lane, after: .zero)
            }
            mapping.batchesDelivered += 1
            mapping.lastProcessingResult = "OK"
            advance(mapping, lane, past: batch)
            lane.queue.removeFirst()
            lane.attempts = 0
            lane.redelivered = false
            schedulePoll(mapping, lane, after: .zero)
        case .failure:
            mapping.lastProcessingResult = "PROBLEM: Function call failed"
            failed(mapping, lane)
        }
    }

    /// After a failed batch: split it, retry it, or give it up. "Splitting batches doesn't
    /// consume the retry quota" (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html):
    /// with bisecting on, a failing batch is halved until it is one record, and only that
    /// record's retries count. Expired records are dropped when the batch is sent again.
    private func failed(_ mapping: EventSourceMapping, _ lane: EventSourceMapping.Lane) {
        guard let batch = lane.queue.first else { return }
        if mapping.bisect, batch.count > 1 {
            let half = batch.count / 2
            lane.queue.replaceSubrange(0...0, with: [Array(batch[..<half]), Array(batch[half...])])
            lane.attempts = 0
            return schedulePoll(mapping, lane, after: .seconds(1))
        }
        lane.attempts += 1
        if mapping.maxRetries >= 0 && lane.attempts > mapping.maxRetries {
            mapping.batchesDiscarded += 1
            sendOnFailure(mapping, shard: lane.shard, batch: batch, condition: .retryAttemptsExhausted, invokeCount: lane.attempts)
            advance(mapping, lane, past: batch)
            lane.queue.removeFirst()
            lane.attempts = 0
            return schedulePoll(mapping, lane, after: .zero)
        }
        schedulePoll(mapping, lane, after: .seconds(1))
    }

    private func advance(_ mapping: EventSourceMapping, _ lane: EventSourceMapping.Lane, past batch: [Int]) {
        guard let last = batch.last else { return }
        lane.position = max(lane.position, last + 1)
        var positions: [Int] = []
        for shard in 0..<mapping.source.shardCount {
            let lanes = mapping.lanes.filter { $0.shard == shard }
            positions.append(lanes.map { $0.queue.first?.first ?? $0.position }.min() ?? 0)
        }
        mapping.source.readerMoved(positions)
    }

    private func lowestFailure(_ response: Document, batch: [Int], lane: EventSourceMapping.Lane, source: any StreamSource) -> Int? {
        guard let failures = response["batchItemFailures"]?.arrayValue, !failures.isEmpty else { return nil }
        let ids = Set(failures.compactMap { $0["itemIdentifier"]?.stringValue })
        return batch.first { ids.contains(source.sequenceNumber(lane.shard, $0)) } ?? batch.first
    }
}
