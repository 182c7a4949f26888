import CloudSim
import DocumentModel
import Testing
@testable import LabEngine

/// Asynchronous invocation as AWS documents it: retries of function errors after one and
/// then two minutes, MaximumRetryAttempts and MaximumEventAgeInSeconds, and the records
/// sent to destinations
/// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html,
/// https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
@Suite struct AsyncInvocationTests {
    static let failed = "https://sqs.us-west-2.amazonaws.com/123456789012/failed"
    static let succeeded = "https://sqs.us-west-2.amazonaws.com/123456789012/succeeded"

    /// Function `F` counts its invocations in table `Calls` and fails when `failWhen` holds
    /// (`event` is its event); queues `failed` and `succeeded`; role `FRole` (`policy` actions).
    func world(failWhen: String = "false", policy: String = "\"*\"", extra: String = "") throws -> World {
        let world = World(seed: 4)
        try world.runActions(source: """
            aws.dynamodb.create_table{ TableName = "Calls", AttributeDefinitions = { { AttributeName = "id", AttributeType = "S" } },
              KeySchema = { { AttributeName = "id", KeyType = "HASH" } } }
            aws.sqs.create_queue{ QueueName = "failed" }
            aws.sqs.create_queue{ QueueName = "succeeded" }
            local role = aws.iam.create_role{ RoleName = "FRole", AssumeRolePolicyDocument = "{}" }.Role.Arn
            aws.iam.put_role_policy{ RoleName = "FRole", PolicyName = "p",
              PolicyDocument = json.encode{ Version = "2012-10-17", Statement = { { Effect = "Allow", Action = \(policy), Resource = "*" } } } }
            aws.lambda.create_function{ FunctionName = "F", Role = role, Timeout = 900, Code = { Source = [==[
              return function(event, context)
                if event.sleep then time.sleep(event.sleep) end
                local n = tonumber(aws.dynamodb.update_item{ TableName = "Calls", Key = { id = { S = "count" } },
                  UpdateExpression = "ADD c :one", ExpressionAttributeValues = { [":one"] = { N = "1" } }, ReturnValues = "UPDATED_NEW" }.Attributes.c.N)
                aws.dynamodb.put_item{ TableName = "Calls", Item = { id = { S = "call-" .. n }, at = { N = tostring(time.time()) },
                  event = { S = json.encode(event) } } }
                if \(failWhen) then error("failing on purpose") end
                return { done = n }
              end ]==] } }
            \(extra)
            """, chunkName: "setup.lua", baseDirectory: "/")
        return world
    }

    func calls(_ world: World) throws -> [Document] {
        let items = try #require(RunContext.items(of: "Calls", in: world))
        return items.filter { $0["id"]?.stringValue?.hasPrefix("call-") == true }
            .sorted { ($0["at"]?.doubleValue ?? 0) < ($1["at"]?.doubleValue ?? 0) }
    }

    func records(_ world: World, _ queue: String) throws -> [Document] {
        try (world.account.sqs.queues[queue]?.held(at: world.account.scheduler.now) ?? []).map { try Document(jsonText: $0.body) }
    }

    func invokeEvent(_ world: World, _ payload: String = #"{"order":7}"#) throws {
        let response = try world.adminCall("lambda", "Invoke", ["FunctionName": "F", "InvocationType": "Event", "Payload": .string(payload)])
        #expect(response["StatusCode"] == 202)
    }

    @Test func aFunctionErrorIsRetriedTwiceAfterOneAndTwoMinutesThenRecorded() throws {
        let world = try world(failWhen: "true")
        _ = try world.adminCall("lambda", "PutFunctionEventInvokeConfig", [
            "FunctionName": "F", "DestinationConfig": ["OnFailure": ["Destination": "arn:aws:sqs:us-west-2:123456789012:failed"]],
        ])
        let start = world.account.scheduler.now.unixSeconds
        try invokeEvent(world)
        world.run(for: .seconds(30))
        #expect(try calls(world).count == 1)
        world.run(for: .minutes(5))
        let times = try calls(world).compactMap { $0["at"]?.doubleValue }.map { $0 - start }
        #expect(times.count == 3)
        // One minute after the first failure, then two minutes after the second.
        if times.count == 3 {
            #expect((59...62).contains(times[1] - times[0]), "\(times)")
            #expect((119...122).contains(times[2] - times[1]), "\(times)")
        }
        let record = try #require(try records(world, "failed").first)
        #expect(record["requestContext"]?["condition"] == "RetriesExhausted")
        #expect(record["requestContext"]?["approximateInvokeCount"] == 3)
        #expect(record["requestContext"]?["functionArn"] == "arn:aws:lambda:us-west-2:123456789012:function:F:$LATEST")
        #expect(record["requestPayload"] == ["order": 7])
        #expect(record["responseContext"]?["functionError"] == "Unhandled")
        #expect(record["responsePayload"]?["errorMessage"]?.stringValue?.contains("failing on purpose") == true)
        #expect(world.account.logs.metrics["F"]?.asyncEventsDropped == 1)
    }

    @Test func noRetriesAndAnOnSuccessRecord() throws {
        let world = try world(failWhen: "event.fail")
        _ = try world.adminCall("lambda", "PutFunctionEventInvokeConfig", [
            "FunctionName": "F", "MaximumRetryAttempts": 0,
            "DestinationConfig": [
                "OnFailure": ["Destination": "arn:aws:sqs:us-west-2:123456789012:failed"],
                "OnSuccess": ["Destination": "arn:aws:sqs:us-west-2:123456789012:succeeded"],
            ],
        ])
        try invokeEvent(world, #"{"fail":true}"#)
        try invokeEvent(world, #"{"fail":false}"#)
        world.run(for: .minutes(10))
        #expect(try calls(world).count == 2)
        #expect(try records(world, "failed").map { $0["requestContext"]?["approximateInvokeCount"] } == [1])
        let success = try #require(try records(world, "succeeded").first)
        #expect(success["requestContext"]?["condition"] == "Success")
        #expect(success["responsePayload"]?["done"] == 2)
        #expect(success["responseContext"]?["functionError"] == nil)
        // Update merges; Put replaces (a Put without destinations removes them).
        _ = try world.adminCall("lambda", "UpdateFunctionEventInvokeConfig", ["FunctionName": "F", "MaximumEventAgeInSeconds": 120])
        var config = try world.adminCall("lambda", "GetFunctionEventInvokeConfig", ["FunctionName": "F"])
        #expect(config["MaximumRetryAttempts"] == 0 && config["MaximumEventAgeInSeconds"] == 120)
        #expect(config["DestinationConfig"]?["OnSuccess"]?["Destination"] == "arn:aws:sqs:us-west-2:123456789012:succeeded")
        _ = try world.adminCall("lambda", "PutFunctionEventInvokeConfig", ["FunctionName": "F", "MaximumRetryAttempts": 1])
        config = try world.adminCall("lambda", "GetFunctionEventInvokeConfig", ["FunctionName": "F"])
        #expect(config["MaximumEventAgeInSeconds"] == nil && config["DestinationConfig"]?["OnSuccess"] == nil)
        _ = try world.adminCall("lambda", "DeleteFunctionEventInvokeConfig", ["FunctionName": "F"])
        #expect(throws: AWSError.self) { _ = try world.adminCall("lambda", "GetFunctionEventInvokeConfig", ["FunctionName": "F"]) }
    }

    /// A throttled event goes back to the queue, retried after 1 s, then 2, 4, … (throttles
    /// are not attempts); past MaximumEventAgeInSeconds it is discarded with
    /// EventAgeExceeded, never having run.
    @Test func aThrottledEventWaitsAndIsDiscardedPastItsMaximumAge() throws {
        let world = try world(extra: "aws.lambda.put_function_concurrency{ FunctionName = \"F\", ReservedConcurrentExecutions = 1 }")
        _ = try world.adminCall("lambda", "PutFunctionEventInvokeConfig", [
            "FunctionName": "F", "MaximumEventAgeInSeconds": 60,
            "DestinationConfig": ["OnFailure": ["Destination": "arn:aws:sqs:us-west-2:123456789012:failed"]],
        ])
        // The first event holds the only instance for 300 s; the second waits behind it.
        try invokeEvent(world, #"{"sleep":300}"#)
        try invokeEvent(world, #"{"order":2}"#)
        world.run(for: .minutes(10))
        #expect(try calls(world).count == 1)
        let record = try #require(try records(world, "failed").first)
        #expect(record["requestContext"]?["condition"] == "EventAgeExceeded")
        #expect(record["requestContext"]?["approximateInvokeCount"] == 0)
        #expect(record["requestPayload"] == ["order": 2])
        // Throttled at 0 s and at the retries 1, 2, 4, 8 and 16 s apart (1, 3, 7, 15, 31 s);
        // the next retry, 32 s later at 63 s, finds it older than 60 s.
        #expect(world.account.logs.metrics["F"]?.throttles == 6)
    }

    /// With reserved concurrency 0, new events go to the on-failure destination at once,
    /// without retries (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
    @Test func reservedConcurrencyZeroSendsEventsStraightToTheDestination() throws {
        let world = try world(extra: "aws.lambda.put_function_concurrency{ FunctionName = \"F\", ReservedConcurrentExecutions = 0 }")
        _ = try world.adminCall("lambda", "PutFunctionEventInvokeConfig", [
            "FunctionName": "F", "DestinationConfig": ["OnFailure": ["Destination": "arn:aws:sqs:us-west-2:123456789012:failed"]],
        ])
        try invokeEvent(world)
        #expect(try records(world, "failed").first?["requestContext"]?["approximateInvokeCount"] == 0)
        #expect(world.account.logs.metrics["F"]?.throttles ?? 0 == 0)
    }

    /// Destinations are checked when configured: the role must be allowed to send.
    @Test func theDestinationNeedsTheRolesPermission() throws {
        let world = try world(policy: #"{ "dynamodb:*" }"#)
        #expect(throws: AWSError("InvalidParameterValueException", "The provided execution role does not have permissions to call SendMessage on SQS")) {
            _ = try world.adminCall("lambda", "PutFunctionEventInvokeConfig", [
                "FunctionName": "F", "DestinationConfig": ["OnFailure": ["Destination": "arn:aws:sqs:us-west-2:123456789012:failed"]],
            ])
        }
        #expect(throws: AWSError.self) {
            _ = try world.adminCall("lambda", "PutFunctionEventInvokeConfig", ["FunctionName": "F", "MaximumRetryAttempts": 3])
        }
        #expect(throws: AWSError.self) { _ = try world.adminCall("lambda", "GetFunctionEventInvokeConfig", ["FunctionName": "F"]) }
    }

    /// SNS invokes a function only when the function's policy lets sns.amazonaws.com do it
    /// for this topic (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html); the
    /// event has one record with the notification.
    @Test func snsInvokesAFunctionItsPolicyAllows() throws {
        let world = try world(extra: """
            aws.sns.create_topic{ Name = "T" }
            aws.sns.subscribe{ TopicArn = "arn:aws:sns:us-west-2:123456789012:T", Protocol = "lambda",
              Endpoint = "arn:aws:lambda:us-west-2:123456789012:function:F" }
            """)
        let topic: Document = "arn:aws:sns:us-west-2:123456789012:T"
        _ = try world.adminCall("sns", "Publish", ["TopicArn": topic, "Message": "refused"])
        world.run(for: .seconds(5))
        #expect(try calls(world).isEmpty)
        #expect(world.account.sns.subscriptions.values.first?.failedDeliveries == 1)
        _ = try world.adminCall("lambda", "AddPermission", [
            "FunctionName": "F", "StatementId": "sns", "Action": "lambda:InvokeFunction", "Principal": "sns.amazonaws.com", "SourceArn": topic,
        ])
        #expect(throws: AWSError.self) {
            _ = try world.adminCall("lambda", "AddPermission", ["FunctionName": "F", "StatementId": "sns", "Action": "lambda:InvokeFunction", "Principal": "sns.amazonaws.com"])
        }
        let policy = try Document(jsonText: try world.adminCall("lambda", "GetPolicy", ["FunctionName": "F"])["Policy"]?.stringValue ?? "")
        #expect(policy["Statement"]?.arrayValue?.first?["Condition"]?["ArnLike"]?["AWS:SourceArn"] == topic)
        _ = try world.adminCall("sns", "Publish", [
            "TopicArn": topic, "Message": "hello", "MessageAttributes": ["kind": ["DataType": "String", "StringValue": "greeting"]],
        ])
        world.run(for: .seconds(5))
        let event = try Document(jsonText: try #require(try calls(world).first?["event"]?.stringValue))
        let record = try #require(event["Records"]?.arrayValue?.first)
        #expect(record["EventSource"] == "aws:sns")
        #expect(record["EventSubscriptionArn"]?.stringValue?.hasPrefix("arn:aws:sns:us-west-2:123456789012:T:") == true)
        #expect(record["Sns"]?["Message"] == "hello")
        // No subject: null in the event (which Lua, having no null in tables, leaves out).
        #expect(record["Sns"]?["Subject"]?.stringValue == nil)
        #expect(record["Sns"]?["MessageAttributes"]?["kind"] == ["Type": "String", "Value": "greeting"])
        #expect(record["Sns"]?["UnsubscribeUrl"] != nil && record["Sns"]?["SigningCertUrl"] != nil)
        _ = try world.adminCall("lambda", "RemovePermission", ["FunctionName": "F", "StatementId": "sns"])
        #expect(throws: AWSError.self) { _ = try world.adminCall("lambda", "GetPolicy", ["FunctionName": "F"]) }
    }

    /// A function's policy holds at most 20 KB; the statement that would pass it is refused
    /// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
    @Test func aFunctionPolicyHoldsAtMost20KB() throws {
        let world = try world()
        var added = 0
        var refusal: AWSError?
        while refusal == nil && added < 1000 {
            do {
                _ = try world.adminCall("lambda", "AddPermission", [
                    "FunctionName": "F", "StatementId": .string("s\(added)"), "Action": "lambda:InvokeFunction", "Principal": "sns.amazonaws.com",
                    "SourceArn": .string("arn:aws:sns:us-west-2:123456789012:topic-\(added)"),
                ])
                added += 1
            } catch let error as AWSError {
                refusal = error
            }
        }
        #expect(refusal?.code == "PolicyLengthExceededException")
        #expect(added > 50)
        let policy = try world.adminCall("lambda", "GetPolicy", ["FunctionName": "F"])["Policy"]?.stringValue ?? ""
        #expect(policy.utf8.count <= 20_480 && policy.contains("\"s\(added - 1)\"") && !policy.contains("\"s\(added)\""))
    }

    /// A stream mapping's on-failure destination may be an SNS topic: its subscribers get
    /// the record, inside SNS's envelope unless raw delivery is on.
    @Test func aStreamMappingRecordsADiscardedBatchThroughATopic() throws {
        let topic = "arn:aws:sns:us-west-2:123456789012:failures"
        let queuePolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-west-2:123456789012:inspect","Condition":{"ArnEquals":{"aws:SourceArn":"\#(topic)"}}}]}"#
        let world = try recordingWorld(
            failWhen: "true", mapping: "MaximumRetryAttempts = 0, DestinationConfig = { OnFailure = { Destination = \"\(topic)\" } }",
            before: """
                aws.sns.create_topic{ Name = "failures" }
                aws.sqs.create_queue{ QueueName = "inspect", Attributes = { Policy = [==[\(queuePolicy)]==] } }
                aws.sns.subscribe{ TopicArn = "\(topic)", Protocol = "sqs", Endpoint = "arn:aws:sqs:us-west-2:123456789012:inspect" }
                """)
        try put(world, ["x"])
        world.run(for: .seconds(10))
        let body = try #require(world.account.sqs.queues["inspect"]?.held(at: world.account.scheduler.now).first?.body)
        let envelope = try Document(jsonText: body)
        #expect(envelope["TopicArn"] == .string(topic))
        let record = try Document(jsonText: envelope["Message"]?.stringValue ?? "")
        #expect(record["requestContext"]?["condition"] == "RetryAttemptsExhausted")
        #expect(record["KinesisBatchInfo"]?["batchSize"] == 1)
    }
}
