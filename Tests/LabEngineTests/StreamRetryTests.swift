import CloudSim
import DocumentModel
import Foundation
import Testing
@testable import LabEngine

/// Stream mappings' error handling as AWS documents it (#10 item 2): "Splitting batches
/// doesn't consume the retry quota", and records older than MaximumRecordAgeInSeconds are
/// not sent (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html).
@Suite struct StreamRetryTests {
    @Test func splitsDoNotCountTowardsTheRetryQuota() throws {
        // With one retry allowed, a batch of 8 needs three splits to isolate the poison
        // record: if splits counted, the record's neighbours would be discarded with it.
        let world = try recordingWorld(
            failWhen: "string.find(table.concat(data, ','), 'poison') ~= nil",
            mapping: "BatchSize = 8, BisectBatchOnFunctionError = true, MaximumRetryAttempts = 1")
        try put(world, ["a", "b", "c", "poison", "e", "f", "g", "h"])
        world.run(for: .seconds(60))
        let all = try calls(world)
        #expect(all.filter { !$0.data.contains("poison") }.flatMap(\.data) == ["a", "b", "c", "e", "f", "g", "h"])
        // The lone poison record: its first attempt and one retry, then it is discarded.
        #expect(all.filter { $0.data == ["poison"] }.count == 2)
        let mapping = try #require(world.account.lambda.mappings.values.first)
        #expect(mapping.batchesDiscarded == 1)
    }

    @Test func aBacklogOlderThanTheMaximumAgeIsNotSent() throws {
        // The mapping starts disabled; the records wait 120 s before it is enabled.
        let world = try recordingWorld(mapping: "BatchSize = 10, MaximumRecordAgeInSeconds = 60, Enabled = false")
        try put(world, ["old1", "old2"])
        world.run(for: .seconds(120))
        try put(world, ["new"])
        let uuid = try #require(world.account.lambda.mappings.keys.first)
        _ = try world.adminCall("lambda", "UpdateEventSourceMapping", ["UUID": .string(uuid), "Enabled": true])
        world.run(for: .seconds(30))
        #expect(try calls(world).flatMap(\.data) == ["new"])
        #expect(world.account.lambda.mappings[uuid]?.recordsExpired == 2)
    }

    @Test func aBatchRetriedPastTheMaximumAgeIsDropped() throws {
        let world = try recordingWorld(failWhen: "true", mapping: "BatchSize = 10, MaximumRecordAgeInSeconds = 60")
        try put(world, ["x"])
        world.run(for: .seconds(180))
        let attempts = try calls(world).count
        // Retried about once a second until the record was 60 s old, then never again.
        #expect(attempts > 30 && attempts <= 62, "\(attempts)")
        let mapping = try #require(world.account.lambda.mappings.values.first)
        #expect(mapping.batchesDiscarded == 1)
        #expect(mapping.recordsExpired == 1)
    }

    /// DestinationConfig and TumblingWindowInSeconds are validated and echoed like AWS's
    /// (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
    @Test func destinationAndTumblingWindowAreValidatedAndEchoed() throws {
        let world = try recordingWorld(mapping: """
            DestinationConfig = { OnFailure = { Destination = "arn:aws:sqs:us-west-2:123456789012:failed" } }, TumblingWindowInSeconds = 120
            """, before: #"aws.sqs.create_queue{ QueueName = "failed" }"#)
        let uuid = try #require(world.account.lambda.mappings.keys.first)
        let got = try world.adminCall("lambda", "GetEventSourceMapping", ["UUID": .string(uuid)])
        #expect(got["DestinationConfig"]?["OnFailure"]?["Destination"] == "arn:aws:sqs:us-west-2:123456789012:failed")
        #expect(got["TumblingWindowInSeconds"] == 120)
        world.run(for: .seconds(2))
        #expect(throws: AWSError.self) {
            _ = try world.adminCall("lambda", "UpdateEventSourceMapping", ["UUID": .string(uuid), "TumblingWindowInSeconds": 901])
        }
        #expect(throws: AWSError.self) {
            _ = try world.adminCall("lambda", "UpdateEventSourceMapping", [
                "UUID": .string(uuid), "DestinationConfig": ["OnFailure": ["Destination": "arn:aws:lambda:us-west-2:123456789012:function:F"]],
            ])
        }
        // UpdateEventSourceMapping has no StartingPosition: the model refuses it as boto3 does.
        #expect(throws: AWSError.self) {
            _ = try world.adminCall("lambda", "UpdateEventSourceMapping", ["UUID": .string(uuid), "StartingPosition": "LATEST"])
        }
    }

    @Test func theKinesisPermissionCheckNamesWhatAWSNames() throws {
        let world = World(seed: 1)
        try world.runActions(source: """
            aws.kinesis.create_stream{ StreamName = "S", ShardCount = 1 }
            local role = aws.iam.create_role{ RoleName = "R", AssumeRolePolicyDocument = "{}" }.Role.Arn
            aws.iam.put_role_policy{ RoleName = "R", PolicyName = "p", PolicyDocument = json.encode{ Version = "2012-10-17",
              Statement = { { Effect = "Allow", Resource = "*",
                Action = { "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListShards" } } } } }
            aws.lambda.create_function{ FunctionName = "F", Role = role, Code = { Source = "return function() end" } }
            """, chunkName: "setup.lua", baseDirectory: "/")
        do {
            _ = try world.adminCall("lambda", "CreateEventSourceMapping", [
                "FunctionName": "F", "StartingPosition": "LATEST", "EventSourceArn": "arn:aws:kinesis:us-west-2:123456789012:stream/S",
            ])
            Issue.record("expected the permission check to refuse a role without kinesis:ListStreams")
        } catch let error as AWSError {
            #expect(error.message == "Cannot access stream arn:aws:kinesis:us-west-2:123456789012:stream/S. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, ListShards, and ListStreams Actions on your stream in IAM.")
        }
    }

    /// A discarded batch's record goes to the on-failure queue: the condition, the invoke
    /// count, and the shard's sequence range, not the records
    /// (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html).
    @Test func aDiscardedBatchIsRecordedInTheOnFailureQueue() throws {
        let world = try recordingWorld(
            failWhen: "string.find(table.concat(data, ','), 'poison') ~= nil",
            mapping: """
                BatchSize = 4, BisectBatchOnFunctionError = true, MaximumRetryAttempts = 1,
                DestinationConfig = { OnFailure = { Destination = "arn:aws:sqs:us-west-2:123456789012:failed" } }
                """, before: #"aws.sqs.create_queue{ QueueName = "failed" }"#)
        try put(world, ["a", "poison", "c", "d"])
        world.run(for: .seconds(60))
        let poisonSequence = try #require(try calls(world).first { $0.data == ["poison"] }?.seqs.first)
        let received = try world.adminCall("sqs", "ReceiveMessage", [
            "QueueUrl": "https://sqs.us-west-2.amazonaws.com/123456789012/failed", "MaxNumberOfMessages": 10,
        ])["Messages"]?.arrayValue ?? []
        #expect(received.count == 1)
        let record = try Document(jsonText: received.first?["Body"]?.stringValue ?? "")
        #expect(record["requestContext"]?["condition"] == "RetryAttemptsExhausted")
        #expect(record["requestContext"]?["approximateInvokeCount"] == 2)
        #expect(record["requestContext"]?["functionArn"] == "arn:aws:lambda:us-west-2:123456789012:function:F")
        #expect(record["responseContext"]?["functionError"] == "Unhandled")
        let info = record["KinesisBatchInfo"]
        #expect(info?["shardId"] == "shardId-000000000000")
        #expect(info?["batchSize"] == 1)
        #expect(info?["startSequenceNumber"] == .string(poisonSequence))
        #expect(info?["endSequenceNumber"] == .string(poisonSequence))
        #expect(info?["streamArn"] == "arn:aws:kinesis:us-west-2:123456789012:stream/S")
        #expect(try calls(world).filter { !$0.data.contains("poison") }.flatMap(\.data) == ["a", "c", "d"])
    }

    /// Lambda checks the destination when the mapping is made: the queue must exist and the
    /// role may send to it, or "The provided execution role does not have permissions to call
    /// SendMessage on SQS".
    @Test func theDestinationIsCheckedAtCreation() throws {
        let world = World(seed: 1)
        try world.runActions(source: """
            aws.kinesis.create_stream{ StreamName = "S", ShardCount = 1 }
            aws.sqs.create_queue{ QueueName = "failed" }
            local role = aws.iam.create_role{ RoleName = "R", AssumeRolePolicyDocument = "{}" }.Role.Arn
            aws.iam.attach_role_policy{ RoleName = "R", PolicyArn = "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole" }
            aws.lambda.create_function{ FunctionName = "F", Role = role, Code = { Source = "return function() end" } }
            """, chunkName: "setup.lua", baseDirectory: "/")
        func create(_ destination: String) throws {
            _ = try world.adminCall("lambda", "CreateEventSourceMapping", [
                "FunctionName": "F", "StartingPosition": "LATEST", "EventSourceArn": "arn:aws:kinesis:us-west-2:123456789012:stream/S",
                "DestinationConfig": ["OnFailure": ["Destination": .string(destination)]],
            ])
        }
        #expect(throws: AWSError("InvalidParameterValueException", "The provided execution role does not have permissions to call SendMessage on SQS")) {
            try create("arn:aws:sqs:us-west-2:123456789012:failed")
        }
        #expect(throws: AWSError.self) { try create("arn:aws:sqs:us-west-2:123456789012:missing") }
    }

    /// The record is sent as the function's role: once the role may no longer send to the
    /// queue, records are lost (and counted), and a refused update changes nothing.
    @Test func aRoleThatLostItsPermissionLosesTheRecord() throws {
        let world = try recordingWorld(
            failWhen: "true", mapping: """
                MaximumRetryAttempts = 0, DestinationConfig = { OnFailure = { Destination = "arn:aws:sqs:us-west-2:123456789012:failed" } }
                """, before: #"aws.sqs.create_queue{ QueueName = "failed" }"#)
        _ = try world.adminCall("iam", "PutRolePolicy", ["RoleName": "FRole", "PolicyName": "all", "PolicyDocument": .string(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"*"}]}"#)])
        try put(world, ["x"])
        world.run(for: .seconds(10))
        let mapping = try #require(world.account.lambda.mappings.values.first)
        #expect(mapping.batchesDiscarded == 1 && mapping.destinationFailures == 1)
        #expect(world.account.sqs.queues["failed"]?.held(at: world.account.scheduler.now).isEmpty == true)
        _ = try world.adminCall("sqs", "CreateQueue", ["QueueName": "other"])
        let batchSize = mapping.batchSize
        #expect(throws: AWSError.self) {
            _ = try world.adminCall("lambda", "UpdateEventSourceMapping", [
                "UUID": .string(mapping.uuid), "BatchSize": 7, "DestinationConfig": ["OnFailure": ["Destination": "arn:aws:sqs:us-west-2:123456789012:other"]],
            ])
        }
        #expect(mapping.batchSize == batchSize && batchSize != 7 && mapping.onFailure == "arn:aws:sqs:us-west-2:123456789012:failed")
    }
}
