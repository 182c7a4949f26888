import CloudSim
import DocumentModel
import Testing

/// SNS's documented semantics, each test naming its page.
@Suite struct SNSTests {
    let queueArn = "arn:aws:sqs:us-west-2:123456789012:inbox"
    let queueURL = "https://sqs.us-west-2.amazonaws.com/123456789012/inbox"
    let topicArn = "arn:aws:sns:us-west-2:123456789012:orders"

    func code(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as AWSError { return error.code } catch { return "\(error)" }
        return nil
    }

    /// The queue policy AWS's guide gives for a topic that delivers to a queue
    /// (https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html).
    func queuePolicy(sourceArn: String) -> String {
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},
        "Action":"sqs:SendMessage","Resource":"\(queueArn)","Condition":{"ArnEquals":{"aws:SourceArn":"\(sourceArn)"}}}]}
        """
    }

    /// A topic `orders` and a queue `inbox` subscribed to it; with `allowed`, the queue's policy lets the topic send.
    func world(allowed: Bool = true, subscription: [String: Document] = [:]) throws -> (CloudAccount, String) {
        let a = CloudAccount()
        _ = try a.call("sns", "CreateTopic", ["Name": "orders"])
        var attributes: [String: Document] = [:]
        if allowed { attributes["Policy"] = .string(queuePolicy(sourceArn: topicArn)) }
        _ = try a.call("sqs", "CreateQueue", ["QueueName": "inbox", "Attributes": .map(attributes)])
        let arn = try a.call("sns", "Subscribe", [
            "TopicArn": .string(topicArn), "Protocol": "sqs", "Endpoint": .string(queueArn), "Attributes": .map(subscription),
        ])["SubscriptionArn"]?.stringValue ?? ""
        return (a, arn)
    }

    func bodies(_ a: CloudAccount) -> [String] {
        (a.sqs.queues["inbox"]?.held(at: a.scheduler.now) ?? []).map(\.body)
    }

    /// https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html: "This action is
    /// idempotent"; GetTopicAttributes shows the owner, the default policy and the counts.
    @Test func topicsAreIdempotentAndShowTheirAttributes() throws {
        let a = CloudAccount()
        let arn = try a.call("sns", "CreateTopic", ["Name": "orders"])["TopicArn"]
        #expect(arn == .string(topicArn))
        #expect(try a.call("sns", "CreateTopic", ["Name": "orders"])["TopicArn"] == arn)
        #expect(code { _ = try a.call("sns", "CreateTopic", ["Name": "bad name"]) } == "InvalidParameter")
        #expect(code { _ = try a.call("sns", "CreateTopic", ["Name": "orders.fifo", "Attributes": ["FifoTopic": "true"]]) } == "InvalidParameter")
        let attributes = try a.call("sns", "GetTopicAttributes", ["TopicArn": .string(topicArn)])["Attributes"]
        #expect(attributes?["Owner"] == "123456789012")
        #expect(attributes?["SubscriptionsConfirmed"] == "0")
        #expect(attributes?["Policy"]?.stringValue?.contains("__default_statement_ID") == true)
        _ = try a.call("sns", "SetTopicAttributes", ["TopicArn": .string(topicArn), "AttributeName": "DisplayName", "AttributeValue": "Orders"])
        #expect(try a.call("sns", "GetTopicAttributes", ["TopicArn": .string(topicArn)])["Attributes"]?["DisplayName"] == "Orders")
        #expect(code { _ = try a.call("sns", "GetTopicAttributes", ["TopicArn": "arn:aws:sns:us-west-2:123456789012:missing"]) } == "NotFound")
        _ = try a.call("sns", "DeleteTopic", ["TopicArn": .string(topicArn)])
        _ = try a.call("sns", "DeleteTopic", ["TopicArn": .string(topicArn)])
        #expect(try a.call("sns", "ListTopics")["Topics"]?.arrayValue?.isEmpty == true)
    }

    /// SNS sends to a queue only when the queue's policy allows sns.amazonaws.com, for this
    /// topic; the queue then receives the JSON envelope
    /// (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).
    @Test func aQueueReceivesTheEnvelopeOnlyWhenItsPolicyAllowsTheTopic() throws {
        let (refused, refusedSubscription) = try world(allowed: false)
        _ = try refused.call("sns", "Publish", ["TopicArn": .string(topicArn), "Message": "hello"])
        #expect(bodies(refused).isEmpty)
        #expect(refused.sns.subscriptions[refusedSubscription]?.failedDeliveries == 1)
        // A policy for another topic does not let this one send.
        _ = try refused.call("sqs", "SetQueueAttributes", [
            "QueueUrl": .string(queueURL), "Attributes": ["Policy": .string(queuePolicy(sourceArn: "arn:aws:sns:us-west-2:123456789012:other"))],
        ])
        _ = try refused.call("sns", "Publish", ["TopicArn": .string(topicArn), "Message": "hello"])
        #expect(bodies(refused).isEmpty)

        let (a, subscription) = try world()
        let id = try a.call("sns", "Publish", [
            "TopicArn": .string(topicArn), "Message": "hello", "Subject": "greeting",
            "MessageAttributes": ["kind": ["DataType": "String", "StringValue": "order"]],
        ])["MessageId"]?.stringValue
        let body = try #require(bodies(a).first)
        let envelope = try Document(jsonText: body)
        #expect(envelope["Type"] == "Notification")
        #expect(envelope["MessageId"]?.stringValue == id)
        #expect(envelope["TopicArn"] == .string(topicArn))
        #expect(envelope["Message"] == "hello")
        #expect(envelope["Subject"] == "greeting")
        #expect(envelope["SignatureVersion"] == "1")
        #expect(envelope["UnsubscribeURL"]?.stringValue?.hasSuffix("SubscriptionArn=\(subscription)") == true)
        #expect(envelope["MessageAttributes"]?["kind"] == ["Type": "String", "Value": "order"])
        #expect(envelope["Timestamp"]?.stringValue?.hasSuffix("Z") == true)
    }

    /// Raw message delivery: the queue gets the message itself, with the attributes as SQS
    /// message attributes (https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html).
    @Test func rawDeliveryPassesTheMessageAndItsAttributes() throws {
        let (a, _) = try world(subscription: ["RawMessageDelivery": "true"])
        _ = try a.call("sns", "Publish", [
            "TopicArn": .string(topicArn), "Message": "{\"id\":1}",
            "MessageAttributes": ["kind": ["DataType": "String", "StringValue": "order"]],
        ])
        let message = try #require(a.sqs.queues["inbox"]?.held(at: a.scheduler.now).first)
        #expect(message.body == "{\"id\":1}")
        #expect(message.attributes["kind"]?["StringValue"] == "order")
    }

    /// Of two malformed conditions in a filter policy, the first by key is named, in every
    /// process (over twelve pairs: a dictionary's order is its process's own).
    @Test func ofTwoMalformedConditionsTheFirstByKeyIsNamed() throws {
        let (a, subscription) = try world(subscription: ["RawMessageDelivery": "true"])
        for i in 0..<12 {
            do {
                _ = try a.call("sns", "SetSubscriptionAttributes", [
                    "SubscriptionArn": .string(subscription), "AttributeName": "FilterPolicy",
                    "AttributeValue": .string(#"{"a\#(i)":[],"b\#(i)":"x"}"#),
                ])
                Issue.record("expected InvalidParameter")
            } catch let error as AWSError {
                #expect(error.message.contains("key a\(i)"), "\(error.message)")
            }
        }
    }

    /// Filter policies on attributes and on the body; keys AND, values OR
    /// (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html).
    @Test func filterPoliciesChooseWhatASubscriptionReceives() throws {
        let (a, subscription) = try world(subscription: [
            "RawMessageDelivery": "true", "FilterPolicy": #"{"kind":["order",{"prefix":"refund-"}],"amount":[{"numeric":[">",100]}]}"#,
        ])
        func publish(_ message: String, _ kind: String?, _ amount: String?) throws {
            var attributes: [String: Document] = [:]
            if let kind { attributes["kind"] = ["DataType": "String", "StringValue": .string(kind)] }
            if let amount { attributes["amount"] = ["DataType": "Number", "StringValue": .string(amount)] }
            _ = try a.call("sns", "Publish", ["TopicArn": .string(topicArn), "Message": .string(message), "MessageAttributes": .map(attributes)])
        }
        try publish("1", "order", "150")
        try publish("2", "order", "50")
        try publish("3", "refund-7", "101")
        try publish("4", "quote", "500")
        try publish("5", nil, "500")
        #expect(bodies(a) == ["1", "3"])
        // The body scope reads the message's JSON; a message that is not JSON never matches.
        _ = try a.call("sns", "SetSubscriptionAttributes", ["SubscriptionArn": .string(subscription), "AttributeName": "FilterPolicyScope", "AttributeValue": "MessageBody"])
        _ = try a.call("sns", "SetSubscriptionAttributes", [
            "SubscriptionArn": .string(subscription), "AttributeName": "FilterPolicy", "AttributeValue": #"{"order":{"state":[{"anything-but":"test"}]}}"#,
        ])
        try publish(#"{"order":{"state":"paid"}}"#, nil, nil)
        try publish(#"{"order":{"state":"test"}}"#, nil, nil)
        try publish("not json", nil, nil)
        #expect(bodies(a) == ["1", "3", #"{"order":{"state":"paid"}}"#])
        // A malformed policy is refused and leaves the subscription as it was.
        #expect(code { _ = try a.call("sns", "SetSubscriptionAttributes", ["SubscriptionArn": .string(subscription), "AttributeName": "FilterPolicy", "AttributeValue": #"{"a":"b"}"#]) } == "InvalidParameter")
        let attributes = try a.call("sns", "GetSubscriptionAttributes", ["SubscriptionArn": .string(subscription)])["Attributes"]
        #expect(attributes?["FilterPolicy"] == #"{"order":{"state":[{"anything-but":"test"}]}}"#)
        #expect(attributes?["FilterPolicyScope"] == "MessageBody")
        #expect(attributes?["PendingConfirmation"] == "false")
    }

    /// `MessageStructure: json` sends each protocol its own message and needs a default
    /// (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
    @Test func messageStructureJsonChoosesTheMessagePerProtocol() throws {
        let (a, _) = try world(subscription: ["RawMessageDelivery": "true"])
        _ = try a.call("sns", "Publish", ["TopicArn": .string(topicArn), "MessageStructure": "json", "Message": #"{"default":"for all","sqs":"for queues"}"#])
        #expect(bodies(a) == ["for queues"])
        #expect(code { _ = try a.call("sns", "Publish", ["TopicArn": .string(topicArn), "MessageStructure": "json", "Message": #"{"sqs":"x"}"#]) } == "InvalidParameter")
        #expect(code { _ = try a.call("sns", "Publish", ["TopicArn": .string(topicArn), "Message": "x", "Subject": "two\nlines"]) } == "InvalidParameter")
        #expect(code { _ = try a.call("sns", "Publish", ["TopicArn": .string(topicArn), "Message": "x", "MessageAttributes": ["n": ["DataType": "Number", "StringValue": "ten"]]]) } == "InvalidParameter")
        #expect(bodies(a) == ["for queues"])
    }

    /// PublishBatch: 1 to 10 entries with distinct IDs, each published or failed alone
    /// (https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html).
    @Test func publishBatchReportsEachEntry() throws {
        let (a, _) = try world(subscription: ["RawMessageDelivery": "true"])
        let result = try a.call("sns", "PublishBatch", [
            "TopicArn": .string(topicArn),
            "PublishBatchRequestEntries": [["Id": "a", "Message": "one"], ["Id": "b", "Message": "two", "Subject": "bad\nsubject"], ["Id": "c", "Message": "three"]],
        ])
        #expect(result["Successful"]?.arrayValue?.compactMap { $0["Id"]?.stringValue } == ["a", "c"])
        #expect(result["Failed"]?.arrayValue?.first?["Code"] == "InvalidParameter")
        #expect(bodies(a) == ["one", "three"])
        #expect(code { _ = try a.call("sns", "PublishBatch", ["TopicArn": .string(topicArn), "PublishBatchRequestEntries": [["Id": "a", "Message": "1"], ["Id": "a", "Message": "2"]]]) } == "BatchEntryIdsNotDistinct")
        #expect(code { _ = try a.call("sns", "PublishBatch", ["TopicArn": .string(topicArn), "PublishBatchRequestEntries": []]) } == "EmptyBatchRequest")
    }

    /// Subscribe: the same endpoint twice is one subscription; a standard topic cannot
    /// deliver to a FIFO queue; endpoints outside the account are refused with a reason.
    @Test func subscribeChecksItsEndpoint() throws {
        let (a, subscription) = try world()
        #expect(try a.call("sns", "Subscribe", ["TopicArn": .string(topicArn), "Protocol": "sqs", "Endpoint": .string(queueArn)])["SubscriptionArn"] == .string(subscription))
        #expect(code { _ = try a.call("sns", "Subscribe", ["TopicArn": .string(topicArn), "Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-west-2:123456789012:q.fifo"]) } == "InvalidParameter")
        #expect(code { _ = try a.call("sns", "Subscribe", ["TopicArn": .string(topicArn), "Protocol": "email", "Endpoint": "a@example.com"]) } == "InvalidParameter")
        #expect(code { _ = try a.call("sns", "Subscribe", ["TopicArn": .string(topicArn), "Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-west-2:123456789012:function:F", "Attributes": ["RawMessageDelivery": "true"]]) } == "InvalidParameter")
        let listed = try a.call("sns", "ListSubscriptionsByTopic", ["TopicArn": .string(topicArn)])["Subscriptions"]?.arrayValue ?? []
        #expect(listed.count == 1)
        #expect(listed.first?["Protocol"] == "sqs")
        _ = try a.call("sns", "Unsubscribe", ["SubscriptionArn": .string(subscription)])
        _ = try a.call("sns", "Publish", ["TopicArn": .string(topicArn), "Message": "after"])
        #expect(bodies(a).isEmpty)
        #expect(code { _ = try a.call("sns", "Unsubscribe", ["SubscriptionArn": .string(subscription)]) } == "NotFound")
    }

    /// Within one account, an Allow in the queue's policy grants what the role's own
    /// policies do not, and an explicit Deny in it refuses what they allow
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    @Test func aQueuePolicyGrantsOrDeniesARoleOfTheAccount() throws {
        let a = CloudAccount()
        _ = try a.call("iam", "CreateRole", ["RoleName": "Writer", "AssumeRolePolicyDocument": "{}"])
        _ = try a.call("iam", "CreateRole", ["RoleName": "Admin", "AssumeRolePolicyDocument": "{}"])
        _ = try a.call("iam", "PutRolePolicy", [
            "RoleName": "Admin", "PolicyName": "all", "PolicyDocument": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#,
        ])
        let policy = """
            {"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/Writer"},"Action":"sqs:SendMessage","Resource":"\(queueArn)"},
            {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/Admin"},"Action":"sqs:SendMessage","Resource":"\(queueArn)"}]}
            """
        _ = try a.call("sqs", "CreateQueue", ["QueueName": "inbox"])
        let send: Document = ["QueueUrl": .string(queueURL), "MessageBody": "x"]
        let writer = Identity.role(arn: "arn:aws:iam::123456789012:role/Writer", session: "s")
        let admin = Identity.role(arn: "arn:aws:iam::123456789012:role/Admin", session: "s")
        #expect(code { _ = try a.call("sqs", "SendMessage", send, as: writer) } == "AccessDeniedException")
        _ = try a.call("sqs", "SendMessage", send, as: admin)
        _ = try a.call("sqs", "SetQueueAttributes", ["QueueUrl": .string(queueURL), "Attributes": ["Policy": .string(policy)]])
        _ = try a.call("sqs", "SendMessage", send, as: writer)
        #expect(code { _ = try a.call("sqs", "SendMessage", send, as: admin) } == "AccessDeniedException")
        // A policy that names no principal is refused, and the queue keeps its policy.
        #expect(code { _ = try a.call("sqs", "SetQueueAttributes", ["QueueUrl": .string(queueURL), "Attributes": ["Policy": #"{"Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#]]) } == "InvalidAttributeValue")
        _ = try a.call("sqs", "SendMessage", send, as: writer)
    }
}
