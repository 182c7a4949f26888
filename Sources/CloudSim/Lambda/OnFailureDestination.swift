import DocumentModel

/// Where a stream mapping sends the record of a batch it gives up on
/// (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html):
/// metadata about the failed invocation and the batch's shard and sequence range, never the
/// records themselves.
extension Lambda {
    /// Why a batch was discarded, as the record's `condition` says.
    enum DiscardCondition: String {
        case retryAttemptsExhausted = "RetryAttemptsExhausted"
        case recordAgeExceeded = "RecordAgeExceeded"
    }

    /// Checks, as Lambda does when the mapping is created or updated, that the destination
    /// exists and the function's role may send to it.
    func checkOnFailure(_ arn: String, role: String) throws(AWSError) {
        guard arn.hasPrefix("arn:aws:sqs:") else {
            // Topics and buckets are real destinations in AWS, but this account has neither yet.
            throw AWSError("InvalidParameterValueException", "The simulated account has no SNS topics or S3 buckets yet: use an SQS queue as the on-failure destination (docs/fidelity.md).")
        }
        guard account?.sqs.queue(arn: arn) != nil else {
            throw AWSError("InvalidParameterValueException", "The destination \(arn) does not exist.")
        }
        guard let role = iam.role(arn: role), iam.evaluate(role: role, action: "sqs:SendMessage", resource: arn).allowed else {
            throw AWSError("InvalidParameterValueException", "The provided execution role does not have permissions to call SendMessage on SQS")
        }
    }

    /// Sends the record of a discarded batch to the mapping's destination, as the function's
    /// role. A destination that is gone, or that the role may no longer send to, loses it
    /// (counted in `destinationFailures`).
    func sendOnFailure(_ mapping: EventSourceMapping, shard: Int, batch: [Int], condition: DiscardCondition, invokeCount: Int) {
        guard let arn = mapping.onFailure, let first = batch.first, let last = batch.last, let function = functions[mapping.functionName] else { return }
        let source = mapping.source
        let functionArn = "arn:aws:lambda:\(region):\(accountID):function:\(function.name)"
        let time = { (t: VirtualTime) in Document.string(UnixTimeText.iso8601(t.unixSeconds)) }
        var record: [String: Document] = [
            "requestContext": [
                "requestId": .string(random.uuid()), "functionArn": .string(functionArn), "condition": .string(condition.rawValue),
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
        // Sent as the function's role, through the account's own call path: the role's
        // sqs:SendMessage is authorized as for any call, and the message's SenderId is the role's.
        guard let url = account?.sqs.queue(arn: arn)?.url, let perform, let send = ServiceRegistry.shared.operation(.sqs, "SendMessage"),
            let body = try? Document.map(record).jsonText(),
            (try? perform(.role(arn: function.role, session: function.name), send, ["QueueUrl": .string(url), "MessageBody": .string(body)], nil)) != nil
        else {
            mapping.destinationFailures += 1
            return
        }
    }
}
