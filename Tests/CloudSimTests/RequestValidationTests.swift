import DocumentModel
import Foundation
import Testing

@testable import CloudSim

/// A dozen representative mistakes, each with the error a learner would see.
///
/// Service side: AWS checks the constraints of its API model and answers ValidationException
/// "N validation error(s) detected: Value '…' at '…' failed to satisfy constraint: …", joined
/// with "; " (DynamoDB Developer Guide, "Error handling with DynamoDB":
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html;
/// the Lambda, Kinesis and IAM API references list ValidationException among their common
/// errors). SDK side: boto3 refuses unknown members and wrong types before sending, with
/// botocore's ParamValidationError text (botocore/validate.py).
@Suite struct RequestValidationTests {
    let account = CloudAccount()

    func error(_ service: String, _ operation: String, _ request: Document) -> AWSError? {
        do {
            _ = try account.call(service, operation, request)
            return nil
        } catch let error as AWSError {
            return error
        } catch {
            return AWSError("Unexpected", "\(error)")
        }
    }

    let streamArn = "arn:aws:kinesis:us-west-2:123456789012:stream/In"

    @Test func aBatchSizeOfZeroIsAConstraintViolation() {
        let e = error("lambda", "CreateEventSourceMapping", ["FunctionName": "F", "EventSourceArn": .string(streamArn), "BatchSize": 0])
        #expect(e?.code == "ValidationException")
        #expect(
            e?.message
                == "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1")
    }

    @Test func aMissingRequiredMemberIsNull() {
        let e = error("lambda", "CreateEventSourceMapping", ["EventSourceArn": .string(streamArn)])
        #expect(e?.message == "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null")
    }

    @Test func severalViolationsAreCountedAndJoined() {
        let e = error("lambda", "CreateEventSourceMapping", ["FunctionName": "F", "BatchSize": 20_000, "StartingPosition": "OLDEST"])
        #expect(e?.code == "ValidationException")
        #expect(e?.message.hasPrefix("2 validation errors detected: Value '20000' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000; ") == true)
        #expect(e?.message.contains("Value 'OLDEST' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_TIMESTAMP") == true)
    }

    @Test func anUnknownMemberIsRefusedAsBoto3RefusesIt() {
        // AWS's CreateEventSourceMapping has no UUID (Lambda makes the id); the text and the
        // order of the names are botocore's, checked against boto3 1.43.
        let e = error("lambda", "CreateEventSourceMapping", ["FunctionName": "F", "UUID": "x"])
        #expect(e?.code == "ParamValidationError")
        #expect(e?.message.hasPrefix("Parameter validation failed:\nUnknown parameter in input: \"UUID\", must be one of: EventSourceArn, FunctionName, Enabled, BatchSize, FilterCriteria,") == true)
        // UpdateEventSourceMapping has no StartingPosition: a mapping's start cannot change.
        let update = error("lambda", "UpdateEventSourceMapping", ["UUID": "x", "StartingPosition": "LATEST"])
        #expect(update?.message.contains("Unknown parameter in input: \"StartingPosition\"") == true)
    }

    @Test func aMisspeltMemberSuggestsTheNearestName() {
        let e = error("lambda", "CreateEventSourceMapping", ["FunctionName": "F", "BatchSzie": 10])
        #expect(e?.message.hasSuffix("(did you mean \"BatchSize\"?)") == true)
    }

    @Test func membersAWSHasAreAccepted() {
        // FilterCriteria was refused as unknown before the registry came from AWS's model.
        let e = error("lambda", "CreateEventSourceMapping", [
            "FunctionName": "Nope", "EventSourceArn": .string(streamArn), "FilterCriteria": ["Filters": [["Pattern": "{}"]]],
        ])
        #expect(e?.code == "ResourceNotFoundException")
    }

    @Test func aValueOfTheWrongTypeNamesTheParameterAndTheTypes() {
        let e = error("lambda", "CreateEventSourceMapping", ["FunctionName": "F", "BatchSize": "ten"])
        #expect(e?.code == "ParamValidationError")
        #expect(e?.message == "Parameter validation failed:\nInvalid type for parameter BatchSize, value: ten, type: string, valid types: integer")
    }

    @Test func aTableWhereTheAPIWantsJSONTextIsRefused() {
        let e = error("iam", "CreatePolicy", ["PolicyName": "P", "PolicyDocument": ["Version": "2012-10-17"]])
        #expect(e?.message == "Parameter validation failed:\nInvalid type for parameter PolicyDocument, value: {Version=2012-10-17}, type: table, valid types: string")
    }

    @Test func nestedUnknownMembersNameTheirPlace() {
        let e = error("lambda", "CreateFunction", [
            "FunctionName": "F", "Role": "arn:aws:iam::123456789012:role/R", "Code": ["ZipFle": "x"],
        ])
        #expect(e?.message.contains("Unknown parameter in Code: \"ZipFle\", must be one of: ZipFile, S3Bucket,") == true)
        #expect(e?.message.hasSuffix("(did you mean \"ZipFile\"?)") == true)
    }

    @Test func lengthsAndPatternsOfStrings() {
        let long = String(repeating: "x", count: 65)
        let name = error("lambda", "PutFunctionConcurrency", ["FunctionName": .string(long + "!"), "ReservedConcurrentExecutions": 1])
        #expect(name?.code == "ValidationException")
        #expect(name?.message.contains("at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern:") == true)
        let stream = error("kinesis", "DescribeStream", ["StreamName": "bad name"])
        #expect(
            stream?.message
                == "1 validation error detected: Value 'bad name' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
        let empty = error("kinesis", "DescribeStream", ["StreamName": ""])
        #expect(empty?.message.hasPrefix("2 validation errors detected: Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1; ") == true)
    }

    @Test func aHugeValueIsRefusedForItsLengthAlone() {
        let huge = String(repeating: "a", count: 1_000_000) + "!"
        let e = error("lambda", "GetFunction", ["FunctionName": .string(huge)])
        #expect(e?.code == "ValidationException")
        #expect(e?.message.hasPrefix("1 validation error detected: Value '") == true)
        #expect(e?.message.hasSuffix("at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 256") == true)
    }

    @Test func listElementsAreNumberedFromOne() {
        let e = error("dynamodb", "CreateTable", [
            "TableName": "T", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
            "KeySchema": [["AttributeName": "id", "KeyType": "PRIMARY"]],
        ])
        #expect(
            e?.message
                == "1 validation error detected: Value 'PRIMARY' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]")
    }

    @Test func rangesOfNumbers() {
        let e = error("lambda", "UpdateFunctionConfiguration", ["FunctionName": "F", "Timeout": 0])
        #expect(e?.message == "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1")
        let kinesis = error("kinesis", "GetRecords", ["ShardIterator": "x", "Limit": 0])
        #expect(kinesis?.message == "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
    }

    @Test func nothingRunsWhenARequestIsInvalid() throws {
        _ = try account.call("kinesis", "CreateStream", ["StreamName": "S", "ShardCount": 1])
        #expect(error("kinesis", "PutRecords", ["StreamName": "S", "Records": [["Data": "x", "PartitionKey": "k"], ["Data": "y", "PartitionKey": ""]]]) != nil)
        let shard = try account.call("kinesis", "GetShardIterator", ["StreamName": "S", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"])
        let records = try account.call("kinesis", "GetRecords", ["ShardIterator": shard["ShardIterator"] ?? .null])
        #expect(records["Records"]?.arrayValue?.isEmpty == true)
    }

    @Test func unknownServicesAndOperationsSuggestTheNearest() {
        #expect(error("lambda", "PutFunctionConcurency", [:])?.message == "The lambda service has no operation 'PutFunctionConcurency'; did you mean 'PutFunctionConcurrency'?")
        #expect(error("kinesiss", "ListStreams", [:])?.message == "The simulated account has no service 'kinesiss'; did you mean 'kinesis'?")
    }

    @Test func functionsRunOnTheOSOnlyRuntimes() throws {
        _ = try account.call("iam", "CreateRole", ["RoleName": "R", "AssumeRolePolicyDocument": "{}"])
        let python = error("lambda", "CreateFunction", [
            "FunctionName": "F", "Role": "arn:aws:iam::123456789012:role/R", "Runtime": "python3.12", "Code": ["Source": "return function() end"],
        ])
        #expect(python?.code == "InvalidParameterValueException")
        #expect(python?.message.contains("provided.al2023") == true)
        let lua = error("lambda", "CreateFunction", [
            "FunctionName": "F", "Role": "arn:aws:iam::123456789012:role/R", "Runtime": "lua5.4", "Code": ["Source": "return function() end"],
        ])
        #expect(lua?.code == "ValidationException")
        #expect(lua?.message.contains("at 'runtime' failed to satisfy constraint: Member must satisfy enum value set:") == true)
    }
}

/// The SDK-side messages against botocore's own validator (the code boto3 and the AWS CLI
/// run before sending), on the same requests.
@Suite struct BotocoreValidationTests {
    static let cases: [(String, String, Document)] = [
        ("lambda", "CreateEventSourceMapping", ["FunctionName": "F", "UUID": "x"]),
        ("kinesis", "PutRecord", ["StreamName": "S", "Data": "x", "PartitionKey": "k", "Bogus": 1]),
        ("dynamodb", "GetItem", ["TableName": "T", "Key": ["id": ["S": "x"]], "Projection": "a"]),
        ("iam", "CreateRole", ["RoleName": "R", "AssumeRolePolicyDocument": "{}", "Zzz": 1]),
        ("lambda", "CreateEventSourceMapping", ["FunctionName": "F", "BatchSize": "ten"]),
    ]

    @Test(.enabled(if: ServiceModelTests.botocoreInstalled, "botocore is not installed"))
    func theSDKSideMessagesAreBotocores() throws {
        let requests = try Document.array(Self.cases.map { .array([.string($0.0), .string($0.1), $0.2]) }).jsonText()
        let script = """
            import json, sys, botocore.session
            from botocore.validate import ParamValidator
            session = botocore.session.get_session()
            out = []
            for service, operation, params in json.loads(sys.stdin.read()):
                shape = session.get_service_model(service).operation_model(operation).input_shape
                out.append(ParamValidator().validate(params, shape).generate_report())
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(requests.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let reports = try Document(jsonText: String(decoding: data, as: UTF8.self)).arrayValue ?? []
        #expect(reports.count == Self.cases.count)
        let account = CloudAccount()
        for (i, (service, operation, request)) in Self.cases.enumerated() {
            var ours = ""
            do { _ = try account.call(service, operation, request) } catch let error as AWSError { ours = error.message }
            let theirs = "Parameter validation failed:\n" + (reports[safe: i]?.stringValue ?? "")
            if theirs.contains("Invalid type") {
                // Types are named as each language names them: Lua's string, Python's <class 'str'>.
                let prefix = "Parameter validation failed:\nInvalid type for parameter BatchSize, value: ten, type: "
                #expect(theirs.hasPrefix(prefix) && ours.hasPrefix(prefix), "\(ours) | \(theirs)")
            } else {
                #expect(ours == theirs)
            }
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
