import DocumentModel

/// Where Lambda sends the records of invocations: a stream mapping's batch it gives up on
/// (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html), and
/// an asynchronous invocation's outcome
/// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
/// The destination is a standard SQS queue or SNS topic, or for asynchronous invocations
/// also a function. Lambda sends as the function's execution role.
extension Lambda {
    /// Why a stream batch was discarded, as the record's `condition` says.
    enum DiscardCondition: String {
        case retryAttemptsExhausted = "RetryAttemptsExhausted"
        case recordAgeExceeded = "RecordAgeExceeded"
    }

    /// A destination's kind, from its ARN, with the action the role needs to send to it.
    private enum DestinationKind {
        case queue, topic, function

        init(arn: String, asynchronous: Bool) throws(AWSError) {
            if arn.hasPrefix("arn:aws:sqs:") {
                self = .queue
            } else if arn.hasPrefix("arn:aws:sns:") {
                self = .topic
            } else if asynchronous, arn.hasPrefix("arn:aws:lambda:") {
                self = .function
            } else if arn.hasPrefix("arn:aws:s3:::") || arn.hasPrefix("arn:aws:events:") {
                throw AWSError(
                    "InvalidParameterValueException",
                    "The simulated account has no S3 buckets or EventBridge buses as destinations yet: use an SQS queue or an SNS topic (docs/fidelity.md).")
            } else {
                throw AWSError("InvalidParameterValueException", "The destination ARN \(arn) is invalid.")
            }
        }

        /// The action and the service as the refusal names them.
        var permission: (action: String, words: String) {
            switch self {
            case .queue: return ("sqs:SendMessage", "SendMessage on SQS")
            case .topic: return ("sns:Publish", "Publish on SNS")
            case .function: return ("lambda:InvokeFunction", "InvokeFunction on Lambda")
            }
        }
    }

    /// Checks, as Lambda does when the destination is configured, that it exists, is of a
    /// supported kind (not a FIFO queue) and that the function's role may send to it.
    func checkDestination(_ arn: String, role: String, asynchronous: Bool) throws(AWSError) {
        let kind = try DestinationKind(arn: arn, asynchronous: asynchronous)
        let exists: Bool
        switch kind {
        case .queue:
            guard let queue = account?.sqs.queue(arn: arn) else { exists = false; break }
            if queue.isFIFO { throw AWSError("InvalidParameterValueException", "The destination \(arn) is a FIFO queue: destinations must be standard queues.") }
            exists = true
        case .topic: exists = account?.sns.topics[arn] != nil
        case .function: exists = (try? function(arn)) != nil
        }
        guard exists else { throw AWSError("InvalidParameterValueException", "The destination \(arn) does not exist.") }
        let (action, words) = kind.permission
        guard let role = iam.role(arn: role), iam.evaluate(role: role, action: action, resource: arn).allowed else {
            throw AWSError("InvalidParameterValueException", "The provided execution role does not have permissions to call \(words)")
        }
    }

    /// Sends the record of a discarded stream batch to the mapping's destination
    /// (counted in the mapping's `destinationFailures` when it cannot be sent).
    func sendOnFailure(_ mapping: EventSourceMapping, shard: Int, batch: [Int], condition: DiscardCondition, invokeCount: Int) {
        guard let arn = mapping.onFailure, let first = batch.first, let last = batch.last, let function = functions[mapping.functionName] else { return }
        let source = mapping.source
        let time = { (t: VirtualTime) in Document.string(UnixTimeText.iso8601(t.unixSeconds)) }
        var record: [String: Document] = [
            "requestContext": [
                "requestId": .string(random.uuid()), "functionArn": .string(function.arn), "condition": .string(condition.rawValue),
                "approximateInvokeCount": .int(Int64(invokeCount)),
            ],
            "responseContext": ["statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"],
            "version": "1.0", "timestamp": time(scheduler.now),
        ]
        record[source.batchInfoKey] = [
            "shardId": .string(source.shardID(shard)), "startSequenceNumber": .string(source.sequenceNumber(shard, first)),
            "endSequenceNumber": .string(source.sequenceNumber(shard, last)),
            "approximateArrivalOfFirstRecord": time(source.arrival(shard, first)),
            "approximateArrivalOfLastRecord": time(source.arrival(shard, last)), "batchSize": .int(Int64(batch.count)),
            "streamArn": .string(source.arn),
        ]
        if !deliver(.map(record), to: arn, from: function) { mapping.destinationFailures += 1 }
    }

    /// Sends an asynchronous invocation's record (counted in the function's
    /// `destinationFailures` when it cannot be sent).
    func sendRecord(_ record: Document, to arn: String, from function: LambdaFunction) {
        if !deliver(record, to: arn, from: function) { function.destinationFailures += 1 }
    }

    /// Sends `record` as the function's role, through the account's own call path: the
    /// role's permission is authorized as for any call, and the sender is the role.
    /// - Returns: whether the destination took it.
    private func deliver(_ record: Document, to arn: String, from function: LambdaFunction) -> Bool {
        guard let perform, let kind = try? DestinationKind(arn: arn, asynchronous: true) else { return false }
        let body = record.jsonTextOrEmpty
        let call: (operation: OperationDescriptor?, request: Document)
        switch kind {
        case .queue:
            // Destinations take standard queues only: a record for a FIFO queue is lost.
            guard let queue = account?.sqs.queue(arn: arn), !queue.isFIFO else { return false }
            call = (ServiceRegistry.shared.operation(.sqs, "SendMessage"), ["QueueUrl": .string(queue.url), "MessageBody": .string(body)])
        case .topic:
            call = (ServiceRegistry.shared.operation(.sns, "Publish"), ["TopicArn": .string(arn), "Message": .string(body)])
        case .function:
            call = (
                ServiceRegistry.shared.operation(.lambda, "Invoke"),
                ["FunctionName": .string(arn), "InvocationType": "Event", "Payload": .string(body)]
            )
        }
        guard let operation = call.operation else { return false }
        return (try? perform(.role(arn: function.role, session: function.name), operation, .document(call.request), nil)) != nil
    }
}
