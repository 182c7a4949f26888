import CloudSim
import DocumentModel
import Testing

/// SQS's documented semantics, each test naming its page.
@Suite struct SQSTests {
    func account() -> CloudAccount { CloudAccount() }

    func create(_ a: CloudAccount, _ name: String, _ attributes: [String: Document] = [:]) throws -> String {
        try a.call("sqs", "CreateQueue", ["QueueName": .string(name), "Attributes": .map(attributes)])["QueueUrl"]?.stringValue ?? ""
    }

    func receive(_ a: CloudAccount, _ url: String, max: Int = 10, visibility: Int? = nil) throws -> [Document] {
        var request: [String: Document] = ["QueueUrl": .string(url), "MaxNumberOfMessages": .int(Int64(max)), "MessageSystemAttributeNames": ["All"]]
        if let visibility { request["VisibilityTimeout"] = .int(Int64(visibility)) }
        return try a.call("sqs", "ReceiveMessage", .map(request))["Messages"]?.arrayValue ?? []
    }

    func send(_ a: CloudAccount, _ url: String, _ body: String, _ extra: [String: Document] = [:]) throws -> Document {
        var request = extra
        request["QueueUrl"] = .string(url)
        request["MessageBody"] = .string(body)
        return try a.call("sqs", "SendMessage", .map(request))
    }

    /// Of two refused message attributes, the first by name is named, in every process (over
    /// twelve pairs: a dictionary's order is its process's own).
    @Test func ofTwoBadMessageAttributesTheFirstByNameIsNamed() throws {
        let a = account()
        let url = try create(a, "attrs")
        for i in 0..<12 {
            let attributes: [String: Document] = [
                "a\(i)": ["DataType": "Bogus", "StringValue": "x"], "b\(i)": ["DataType": "String"],
            ]
            expectAWSError("InvalidParameterValue", "attribute 'a\(i)'") { _ = try send(a, url, "m", ["MessageAttributes": .map(attributes)]) }
        }
        // A queue created again with two attributes changed names the first by name (over six
        // pairs of attribute names: an order other than by name shows in 63 processes of 64).
        let pairs = [
            ("DelaySeconds", "VisibilityTimeout"), ("MaximumMessageSize", "MessageRetentionPeriod"),
            ("ReceiveMessageWaitTimeSeconds", "VisibilityTimeout"), ("DelaySeconds", "MaximumMessageSize"),
            ("MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds"), ("DelaySeconds", "ReceiveMessageWaitTimeSeconds"),
        ]
        let first: [String: Document] = [
            "DelaySeconds": "0", "VisibilityTimeout": "30", "MaximumMessageSize": "262144", "MessageRetentionPeriod": "345600",
            "ReceiveMessageWaitTimeSeconds": "0",
        ]
        let changed: [String: Document] = [
            "DelaySeconds": "5", "VisibilityTimeout": "60", "MaximumMessageSize": "1024", "MessageRetentionPeriod": "60",
            "ReceiveMessageWaitTimeSeconds": "10",
        ]
        for (n, (x, y)) in pairs.enumerated() {
            _ = try create(a, "same\(n)", [x: first[x] ?? "", y: first[y] ?? ""])
            expectAWSError("QueueNameExists", "attribute \(x)") { _ = try create(a, "same\(n)", [x: changed[x] ?? "", y: changed[y] ?? ""]) }
        }
    }

    func code(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as AWSError { return error.code } catch { return "\(error)" }
        return nil
    }

    /// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html:
    /// the URL names the account and queue; the same name with other attributes is QueueNameExists.
    @Test func createIsIdempotentAndRefusesOtherAttributes() throws {
        let a = account()
        let url = try create(a, "orders")
        #expect(url == "https://sqs.us-west-2.amazonaws.com/123456789012/orders")
        #expect(try create(a, "orders") == url)
        #expect(code { _ = try create(a, "orders", ["VisibilityTimeout": "5"]) } == "QueueNameExists")
        #expect(code { _ = try create(a, "bad name") } == "InvalidParameterValue")
        #expect(code { _ = try a.call("sqs", "GetQueueUrl", ["QueueName": "missing"]) } == "QueueDoesNotExist")
        let attributes = try a.call("sqs", "GetQueueAttributes", ["QueueUrl": .string(url), "AttributeNames": ["All"]])["Attributes"]
        #expect(attributes?["QueueArn"] == "arn:aws:sqs:us-west-2:123456789012:orders")
        #expect(attributes?["VisibilityTimeout"] == "30")
        #expect(attributes?["MessageRetentionPeriod"] == "345600")
        #expect(attributes?["MaximumMessageSize"] == "262144")
        // A bad attribute refuses the whole call: the good one beside it is not applied.
        #expect(code { _ = try a.call("sqs", "SetQueueAttributes", ["QueueUrl": .string(url), "Attributes": ["DelaySeconds": "7", "VisibilityTimeout": "-1"]]) } == "InvalidAttributeValue")
        let after = try a.call("sqs", "GetQueueAttributes", ["QueueUrl": .string(url), "AttributeNames": ["DelaySeconds"]])["Attributes"]
        #expect(after?["DelaySeconds"] == "0")
    }

    /// The MD5 digests: of the body, and of the attributes in SQS's documented encoding
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html).
    @Test func sendReturnsTheDigestsOfBodyAndAttributes() throws {
        let a = account()
        let url = try create(a, "q")
        let sent = try send(a, url, "hello", [
            "MessageAttributes": ["color": ["DataType": "String", "StringValue": "red"], "count": ["DataType": "Number", "StringValue": "3"]],
        ])
        #expect(sent["MD5OfMessageBody"] == "5d41402abc4b2a76b9719d911017c592")
        #expect(sent["MD5OfMessageAttributes"] == "3e2faa00f797285484e41b21c8633015")
        #expect(code { _ = try send(a, url, "x\u{1}y") } == "InvalidMessageContents")
        #expect(code { _ = try send(a, url, "x", ["MessageAttributes": ["n": ["DataType": "Number", "StringValue": "abc"]]]) } == "InvalidParameterValue")
    }

    /// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html:
    /// a received message is hidden for the visibility timeout, then received again with a
    /// higher ApproximateReceiveCount and a new receipt handle; only the newest handle deletes it.
    @Test func visibilityTimeoutHidesAndReturnsMessages() throws {
        let a = account()
        let url = try create(a, "q", ["VisibilityTimeout": "10"])
        _ = try send(a, url, "one")
        let first = try receive(a, url)
        #expect(first.count == 1)
        #expect(first.first?["Attributes"]?["ApproximateReceiveCount"] == "1")
        #expect(try receive(a, url).isEmpty)
        a.run(until: .seconds(10))
        let second = try receive(a, url)
        #expect(second.first?["Attributes"]?["ApproximateReceiveCount"] == "2")
        #expect(second.first?["ReceiptHandle"] != first.first?["ReceiptHandle"])
        // The stale handle: "the request succeeds, but the message might not be deleted".
        _ = try a.call("sqs", "DeleteMessage", ["QueueUrl": .string(url), "ReceiptHandle": first.first?["ReceiptHandle"] ?? ""])
        let counts = try a.call("sqs", "GetQueueAttributes", ["QueueUrl": .string(url), "AttributeNames": ["ApproximateNumberOfMessagesNotVisible"]])
        #expect(counts["Attributes"]?["ApproximateNumberOfMessagesNotVisible"] == "1")
        _ = try a.call("sqs", "DeleteMessage", ["QueueUrl": .string(url), "ReceiptHandle": second.first?["ReceiptHandle"] ?? ""])
        a.run(until: .seconds(30))
        #expect(try receive(a, url).isEmpty)
        #expect(code { _ = try a.call("sqs", "DeleteMessage", ["QueueUrl": .string(url), "ReceiptHandle": "garbage"]) } == "ReceiptHandleIsInvalid")
    }

    /// ChangeMessageVisibility counts the new timeout from now, and needs the message in flight
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html).
    @Test func changeVisibilityCountsFromNow() throws {
        let a = account()
        let url = try create(a, "q")
        _ = try send(a, url, "m")
        let handle = try receive(a, url).first?["ReceiptHandle"] ?? ""
        _ = try a.call("sqs", "ChangeMessageVisibility", ["QueueUrl": .string(url), "ReceiptHandle": handle, "VisibilityTimeout": 0])
        let again = try receive(a, url)
        #expect(again.count == 1)
        a.run(until: .seconds(31))
        #expect(code {
            _ = try a.call("sqs", "ChangeMessageVisibility", ["QueueUrl": .string(url), "ReceiptHandle": again.first?["ReceiptHandle"] ?? "", "VisibilityTimeout": 5])
        } == "MessageNotInflight")
    }

    /// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html:
    /// "When the ReceiveCount for a message exceeds the maxReceiveCount for a queue, Amazon SQS
    /// moves the message to a dead-letter queue", which a FIFO queue's must also be.
    @Test func redrivePolicyMovesMessagesAfterMaxReceiveCount() throws {
        let a = account()
        let dlq = try create(a, "dlq")
        let arn = "arn:aws:sqs:us-west-2:123456789012:dlq"
        let url = try create(a, "q", ["VisibilityTimeout": "1", "RedrivePolicy": .string("{\"deadLetterTargetArn\":\"\(arn)\",\"maxReceiveCount\":2}")])
        _ = try send(a, url, "poison")
        for second in 0..<2 {
            #expect(try receive(a, url).count == 1)
            a.run(until: .seconds(Double(second + 1)))
        }
        #expect(try receive(a, url).isEmpty)
        let moved = try receive(a, dlq)
        #expect(moved.first?["Body"] == "poison")
        #expect(moved.first?["Attributes"]?["DeadLetterQueueSourceArn"] == "arn:aws:sqs:us-west-2:123456789012:q")
        #expect(code { _ = try create(a, "r", ["RedrivePolicy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-west-2:123456789012:none\",\"maxReceiveCount\":2}"]) } == "InvalidParameterValue")
        _ = try create(a, "f.fifo", ["FifoQueue": "true"])
        #expect(code { _ = try create(a, "g.fifo", ["FifoQueue": "true", "RedrivePolicy": .string("{\"deadLetterTargetArn\":\"\(arn)\",\"maxReceiveCount\":2}")]) } == "InvalidParameterValue")
    }

    /// DelaySeconds hides a new message; retention drops old ones
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html).
    @Test func delayAndRetention() throws {
        let a = account()
        let url = try create(a, "q", ["MessageRetentionPeriod": "60"])
        _ = try send(a, url, "later", ["DelaySeconds": 5])
        #expect(try receive(a, url).isEmpty)
        let delayed = try a.call("sqs", "GetQueueAttributes", ["QueueUrl": .string(url), "AttributeNames": ["ApproximateNumberOfMessagesDelayed"]])
        #expect(delayed["Attributes"]?["ApproximateNumberOfMessagesDelayed"] == "1")
        a.run(until: .seconds(5))
        #expect(try receive(a, url, visibility: 0).count == 1)
        a.run(until: .seconds(60))
        #expect(try receive(a, url).isEmpty)
        #expect(code { _ = try send(a, url, "x", ["DelaySeconds": 901]) } != nil)
    }

    /// FIFO: a group's messages come in order and not while one of them is in flight; the same
    /// deduplication ID within five minutes is accepted but not delivered again
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html).
    @Test func fifoGroupsAndDeduplication() throws {
        let a = account()
        let url = try create(a, "o.fifo", ["FifoQueue": "true"])
        #expect(code { _ = try send(a, url, "x") } == "MissingParameter")
        #expect(code { _ = try send(a, url, "x", ["MessageGroupId": "A"]) } == "InvalidParameterValue")
        let first = try send(a, url, "a1", ["MessageGroupId": "A", "MessageDeduplicationId": "1"])
        _ = try send(a, url, "a2", ["MessageGroupId": "A", "MessageDeduplicationId": "2"])
        _ = try send(a, url, "b1", ["MessageGroupId": "B", "MessageDeduplicationId": "3"])
        let again = try send(a, url, "a1 again", ["MessageGroupId": "A", "MessageDeduplicationId": "1"])
        #expect(again["MessageId"] == first["MessageId"])
        #expect(first["SequenceNumber"]?.stringValue?.count == 20)
        let one = try receive(a, url, max: 1)
        #expect(one.first?["Body"] == "a1")
        // Group A is blocked while a1 is in flight; B is not.
        #expect(try receive(a, url).compactMap { $0["Body"]?.stringValue } == ["b1"])
        a.run(until: .seconds(31))
        #expect(try receive(a, url).compactMap { $0["Body"]?.stringValue } == ["a1", "a2", "b1"])
        a.run(until: .seconds(400))
        let dedupAfterWindow = try send(a, url, "a1", ["MessageGroupId": "A", "MessageDeduplicationId": "1"])
        #expect(dedupAfterWindow["MessageId"] != first["MessageId"])
        #expect(code { _ = try send(a, url, "x", ["MessageGroupId": "A", "MessageDeduplicationId": "9", "DelaySeconds": 1]) } == "InvalidParameterValue")
    }

    /// Batches: at most ten entries with distinct IDs; each entry succeeds or fails alone
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html).
    @Test func batchesReportEachEntry() throws {
        let a = account()
        let url = try create(a, "q")
        let result = try a.call("sqs", "SendMessageBatch", ["QueueUrl": .string(url), "Entries": [
            ["Id": "a", "MessageBody": "ok"], ["Id": "b", "MessageBody": "bad\u{0}"],
        ]])
        #expect(result["Successful"]?.arrayValue?.count == 1)
        #expect(result["Failed"]?.arrayValue?.first?["Code"] == "InvalidMessageContents")
        #expect(code { _ = try a.call("sqs", "SendMessageBatch", ["QueueUrl": .string(url), "Entries": [["Id": "a", "MessageBody": "1"], ["Id": "a", "MessageBody": "2"]]]) } == "BatchEntryIdsNotDistinct")
        let eleven = Document.array((0..<11).map { ["Id": .string("e\($0)"), "MessageBody": "x"] })
        #expect(code { _ = try a.call("sqs", "SendMessageBatch", ["QueueUrl": .string(url), "Entries": eleven]) } == "TooManyEntriesInBatchRequest")
        let handles = try receive(a, url).compactMap { $0["ReceiptHandle"] }
        let deleted = try a.call("sqs", "DeleteMessageBatch", ["QueueUrl": .string(url), "Entries": .array(handles.enumerated().map { ["Id": .string("d\($0.offset)"), "ReceiptHandle": $0.element] })])
        #expect(deleted["Successful"]?.arrayValue?.count == 1)
    }

    /// PurgeQueue once a minute; a deleted queue's name waits 60 seconds
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html,
    /// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html).
    @Test func purgeAndDeleteLimits() throws {
        let a = account()
        let url = try create(a, "q")
        _ = try send(a, url, "m")
        _ = try a.call("sqs", "PurgeQueue", ["QueueUrl": .string(url)])
        #expect(try receive(a, url).isEmpty)
        #expect(code { _ = try a.call("sqs", "PurgeQueue", ["QueueUrl": .string(url)]) } == "PurgeQueueInProgress")
        _ = try a.call("sqs", "DeleteQueue", ["QueueUrl": .string(url)])
        #expect(code { _ = try send(a, url, "m") } == "QueueDoesNotExist")
        #expect(code { _ = try create(a, "q") } == "QueueDeletedRecently")
        a.run(until: .seconds(61))
        #expect(try create(a, "q") == url)
        let listed = try a.call("sqs", "ListQueues", ["QueueNamePrefix": "q"])
        #expect(listed["QueueUrls"] == [.string(url)])
    }

    /// A role needs the SQS action on the queue's ARN; batch calls are authorized as their
    /// single actions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html).
    @Test func rolesNeedTheQueueAction() throws {
        let a = account()
        let url = try create(a, "q")
        _ = try a.call("iam", "CreateRole", ["RoleName": "r", "AssumeRolePolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"])
        let policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-west-2:123456789012:q\"}]}"
        _ = try a.call("iam", "PutRolePolicy", ["RoleName": "r", "PolicyName": "p", "PolicyDocument": .string(policy)])
        let role = Identity.role(arn: "arn:aws:iam::123456789012:role/r", session: "f")
        _ = try a.call("sqs", "SendMessageBatch", ["QueueUrl": .string(url), "Entries": [["Id": "a", "MessageBody": "1"]]], as: role)
        #expect(code { _ = try a.call("sqs", "ReceiveMessage", ["QueueUrl": .string(url)], as: role) } == "AccessDeniedException")
        let sender = try receive(a, url).first?["Attributes"]?["SenderId"]?.stringValue ?? ""
        #expect(sender.hasSuffix(":f"))
    }
}
