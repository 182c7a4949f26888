import CloudSim
import DocumentModel
import Testing
@testable import LabEngine

/// Lambda's SQS trigger as AWS documents it (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html,
/// services-sqs-errorhandling.html, services-sqs-scaling.html, services-sqs-parameters.html).
@Suite struct QueueTriggerTests {
    /// A world with queue `Q` (visibility 5 s, redrive to `DLQ` after `maxReceive`), table
    /// `Seen`, and function `F` (handler `handler`) triggered by `Q` with `mapping`.
    func queueWorld(handler: String, mapping: String = "", maxReceive: Int = 3, policy: String = "\"*\"") throws -> World {
        let world = World(seed: 5)
        try world.runActions(source: """
            aws.sqs.create_queue{ QueueName = "DLQ" }
            aws.sqs.create_queue{ QueueName = "Q", Attributes = { VisibilityTimeout = "5",
              RedrivePolicy = json.encode{ deadLetterTargetArn = "arn:aws:sqs:us-west-2:123456789012:DLQ", maxReceiveCount = \(maxReceive) } } }
            aws.dynamodb.create_table{ TableName = "Seen", AttributeDefinitions = { { AttributeName = "id", AttributeType = "S" } },
              KeySchema = { { AttributeName = "id", KeyType = "HASH" } } }
            local role = aws.iam.create_role{ RoleName = "R", AssumeRolePolicyDocument = "{}" }.Role.Arn
            aws.iam.put_role_policy{ RoleName = "R", PolicyName = "p", PolicyDocument = json.encode{ Version = "2012-10-17",
              Statement = { { Effect = "Allow", Action = \(policy), Resource = "*" } } } }
            aws.lambda.create_function{ FunctionName = "F", Role = role, Timeout = 30, Code = { Source = [==[\(handler)]==] } }
            aws.lambda.create_event_source_mapping{ FunctionName = "F", EventSourceArn = "arn:aws:sqs:us-west-2:123456789012:Q", \(mapping) }
            """, chunkName: "setup.lua", baseDirectory: "/")
        return world
    }

    func send(_ world: World, _ bodies: [String]) throws {
        for body in bodies {
            _ = try world.adminCall("sqs", "SendMessage", ["QueueUrl": "https://sqs.us-west-2.amazonaws.com/123456789012/Q", "MessageBody": .string(body)])
        }
    }

    func held(_ world: World, _ queue: String) -> [String] {
        (world.account.sqs.queues[queue]?.held(at: world.account.scheduler.now) ?? []).map(\.body)
    }

    static let recorder = """
        return function(event)
          for _, r in ipairs(event.Records) do
            aws.dynamodb.put_item{ TableName = "Seen", Item = { id = { S = r.body }, source = { S = r.eventSource },
              count = { S = r.attributes.ApproximateReceiveCount }, arn = { S = r.eventSourceARN } } }
            if r.body == "bad" then error("cannot take " .. r.body) end
          end
        end
        """

    @Test func messagesAreDeliveredAndDeletedAfterSuccess() throws {
        let world = try queueWorld(handler: Self.recorder)
        try send(world, ["a", "b", "c"])
        world.run(for: .seconds(5))
        let seen = try #require(RunContext.items(of: "Seen", in: world))
        #expect(Set(seen.compactMap { $0["id"]?.stringValue }) == ["a", "b", "c"])
        #expect(seen.allSatisfy { $0["source"] == "aws:sqs" && $0["count"] == "1" && $0["arn"] == "arn:aws:sqs:us-west-2:123456789012:Q" })
        #expect(held(world, "Q").isEmpty)
    }

    /// A failed batch is not deleted: its messages come back after the visibility timeout,
    /// and the redrive policy moves them to the dead-letter queue after maxReceiveCount.
    @Test func aFailingMessageReturnsAfterTheVisibilityTimeoutThenMovesToTheDeadLetterQueue() throws {
        let world = try queueWorld(handler: Self.recorder, mapping: "BatchSize = 1", maxReceive: 3)
        try send(world, ["bad"])
        world.run(for: .seconds(3))
        #expect(world.account.logs.metrics["F"]?.errors == 1)
        world.run(for: .seconds(5))
        #expect(world.account.logs.metrics["F"]?.errors == 2, "retried only after the 5 s visibility timeout")
        world.run(for: .seconds(30))
        #expect(world.account.logs.metrics["F"]?.errors == 3)
        #expect(held(world, "Q").isEmpty)
        #expect(held(world, "DLQ") == ["bad"])
    }

    /// With ReportBatchItemFailures, only the messages the function names stay in the queue.
    @Test func reportedFailuresStayAndTheRestAreDeleted() throws {
        let handler = """
            return function(event)
              local failures = {}
              for _, r in ipairs(event.Records) do
                if r.body == "bad" then failures[#failures + 1] = { itemIdentifier = r.messageId } end
              end
              return { batchItemFailures = failures }
            end
            """
        let world = try queueWorld(handler: handler, mapping: "FunctionResponseTypes = { \"ReportBatchItemFailures\" }")
        try send(world, ["a", "bad", "c"])
        world.run(for: .seconds(2))
        #expect(held(world, "Q") == ["bad"])
    }

    /// ScalingConfig.MaximumConcurrency caps the invocations at once; without it, five
    /// batches go out at first.
    @Test(arguments: [(nil as Int?, 5), (2, 2)])
    func concurrencyStartsAtFiveAndMaximumConcurrencyCapsIt(maximum: Int?, expected: Int) throws {
        let handler = "return function(event) time.sleep(2) end"
        let world = try queueWorld(handler: handler, mapping: "BatchSize = 1" + (maximum.map { ", ScalingConfig = { MaximumConcurrency = \($0) }" } ?? ""))
        try send(world, (0..<20).map { "m\($0)" })
        world.run(for: .seconds(30))
        #expect(world.account.logs.metrics["F"]?.maxConcurrentExecutions == expected)
        #expect(held(world, "Q").isEmpty)
    }

    /// The role's text as AWS words it (quoted in https://github.com/aws/aws-cdk/issues/6770).
    @Test func creationChecksTheRoleAndTheParameters() throws {
        #expect(throws: (any Error).self) { _ = try queueWorld(handler: Self.recorder, mapping: "BatchSize = 20") }
        #expect(throws: (any Error).self) { _ = try queueWorld(handler: Self.recorder, mapping: "StartingPosition = \"LATEST\"") }
        do {
            _ = try queueWorld(handler: Self.recorder, policy: "{ \"sqs:ReceiveMessage\", \"sqs:GetQueueAttributes\" }")
            Issue.record("a role without sqs:DeleteMessage was accepted")
        } catch {
            #expect("\(error)".contains("The provided execution role does not have permissions to call DeleteMessage on SQS"), "\(error)")
        }
        let world = try queueWorld(handler: Self.recorder, mapping: "BatchSize = 20, MaximumBatchingWindowInSeconds = 1")
        let listed = try world.adminCall("lambda", "ListEventSourceMappings", ["FunctionName": "F"])["EventSourceMappings"]?.arrayValue
        #expect(listed?.first?["BatchSize"] == 20 && listed?.first?["StartingPosition"] == nil)
    }
}
