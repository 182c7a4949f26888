import DocumentModel
import Foundation
import Testing

@testable import CloudSim

/// The registry of operations comes from AWS's service models (botocore's `data/`), through
/// scripts/generate-models.
@Suite struct ServiceModelTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether python3 with botocore is here (the generator needs it; the staleness test skips without it).
    static let botocoreInstalled: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import botocore"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(.enabled(if: botocoreInstalled, "botocore is not installed: the generator cannot run here"))
    func theCommittedModelsAreWhatTheGeneratorWrites() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root.appendingPathComponent("scripts/generate-models").path, "--check"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(message)")
    }

    @Test func theRegistryLoadsEveryServiceAndItsOperations() {
        let registry = ServiceRegistry.shared
        #expect(registry.botocoreVersion == GeneratedModels.botocoreVersion)
        for service in AWSService.allCases {
            #expect(!registry.model(service).operations.isEmpty, "\(service)")
        }
        let model = registry.model(.lambda)
        #expect(model.wireProtocol == .restJSON)
        #expect(registry.model(.dynamodb).wireProtocol == .json)
        #expect(registry.model(.dynamodb).targetPrefix == "DynamoDB_20120810")
        #expect(registry.model(.iam).wireProtocol == .query)
        // boto3's own names (botocore's xform_name), not a re-implementation of them.
        #expect(model.operationsByPythonName["put_function_concurrency"]?.name == "PutFunctionConcurrency")
        #expect(registry.model(.kinesis).operationsByPythonName["describe_stream_summary"]?.name == "DescribeStreamSummary")
        let mapping = model.operations["CreateEventSourceMapping"]
        #expect(mapping?.httpMethod == "POST")
        #expect(mapping?.requestURI == "/2015-03-31/event-source-mappings")
        #expect(mapping?.responseCode == 202)
        let errors = (mapping?.errors ?? []).compactMap { model.shape($0).errorCode }
        #expect(errors.contains("InvalidParameterValueException"))
        // The query protocol's error codes differ from the shape names (IAM).
        #expect(registry.model(.iam).shape(named: "MalformedPolicyDocumentException")?.errorCode == "MalformedPolicyDocument")
    }

    @Test func descriptorsCarryWhatLabengineAdds() throws {
        let registry = ServiceRegistry.shared
        let invoke = try #require(registry.operation(.lambda, "Invoke"))
        #expect(invoke.action == "lambda:InvokeFunction")
        // DynamoDB Streams' actions use DynamoDB's prefix (its signing name).
        #expect(registry.operation(.dynamodbstreams, "GetRecords")?.action == "dynamodb:GetRecords")
        #expect(registry.operation(.dynamodb, "GetItem")?.access == .read)
        #expect(registry.operation(.dynamodb, "PutItem")?.access == .write)
        #expect(registry.operation(.iam, "SimulatePrincipalPolicy")?.access == .read)
        let transact = try #require(registry.operation(.dynamodb, "TransactWriteItems"))
        let items = Document.array((0..<19).map { _ in ["Update": [:]] })
        #expect(transact.duration(["TransactItems": items]) == .milliseconds(15) + VirtualDuration(micros: 500) * 18)
        let batch = try #require(registry.operation(.dynamodb, "BatchWriteItem"))
        #expect(batch.itemCount(["RequestItems": ["A": [[:], [:]], "B": [[:]]]]) == 3)
        let permissions = transact.resource.permissions(
            action: transact.action, request: ["TransactItems": [["Put": ["TableName": "T"]], ["ConditionCheck": ["TableName": "U"]]]],
            scope: ARNScope(region: "us-west-2", account: "123456789012"))
        #expect(permissions.map(\.0) == ["dynamodb:PutItem", "dynamodb:ConditionCheckItem"])
        #expect(permissions.map(\.1) == ["arn:aws:dynamodb:us-west-2:123456789012:table/T", "arn:aws:dynamodb:us-west-2:123456789012:table/U"])
    }

    /// Every operation of the registry reaches its service's executor, and no executor
    /// answers an operation the registry lacks (they would be unreachable).
    @Test func everyRegisteredOperationHasAnExecutor() {
        let account = CloudAccount()
        for service in AWSService.allCases {
            for operation in ServiceRegistry.shared.model(service).operations.values {
                do {
                    switch service {
                    case .dynamodb: _ = try account.dynamodb.execute(operation, [:], during: .instant(.zero))
                    case .dynamodbstreams: _ = try account.dynamodbStreams.execute(operation, [:])
                    case .kinesis: _ = try account.kinesis.respond(operation, [:])
                    case .iam: _ = try account.iam.execute(operation, [:])
                    case .lambda: _ = try account.lambda.execute(operation, [:])
                    case .logs: _ = try account.logs.execute(operation, [:])
                    case .events: _ = try account.events.execute(operation, [:])
                    case .sts: _ = try account.call(operation, [:])
                    case .sqs: _ = try account.sqs.execute(operation, [:], sender: "")
                    case .sns: _ = try account.sns.execute(operation, [:])
                    }
                } catch let error as AWSError {
                    #expect(error.code != "UnknownOperationException", "\(service) \(operation.name): \(error)")
                } catch {
                    Issue.record("\(service) \(operation.name): \(error)")
                }
            }
        }
    }

    /// DescribeLogStreams was added by one line of the generator's table and one executor.
    /// Its LogStream fields follow
    /// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogStream.html
    /// (timestamps in epoch milliseconds).
    @Test func anOperationAddedByOneLineAndOneExecutor() throws {
        let account = CloudAccount()
        account.logs.append(group: "/aws/lambda/F", time: VirtualTime(micros: 2_000), "START")
        account.logs.append(group: "/aws/lambda/F", time: VirtualTime(micros: 9_000), "END")
        let streams = try account.call("logs", "DescribeLogStreams", ["logGroupName": "/aws/lambda/F"])["logStreams"]?.arrayValue ?? []
        #expect(streams.count == 1)
        // Unix milliseconds of the virtual clock, whose epoch is 2024-01-01T00:00:00Z.
        #expect(streams.first?["firstEventTimestamp"] == 1_704_067_200_002)
        #expect(streams.first?["lastEventTimestamp"] == 1_704_067_200_009)
        #expect(ServiceRegistry.shared.operation(.logs, "DescribeLogStreams")?.access == .read)
        #expect(throws: AWSError.self) { _ = try account.call("logs", "DescribeLogStreams", ["logGroupName": "/aws/lambda/None"]) }
    }

    @Test func everyModelPatternCompiles() {
        for service in AWSService.allCases {
            for shape in ServiceRegistry.shared.model(service).shapes {
                guard let pattern = shape.pattern else { continue }
                #expect(PatternMatcher(pattern).isValid, "\(service).\(shape.name): \(pattern)")
            }
        }
    }

    @Test func patternsMatchTheWholeValue() {
        let tableName = PatternMatcher("[a-zA-Z0-9_.-]+")
        #expect(tableName.matches("Trades_2024.v1"))
        #expect(!tableName.matches("bad name"))
        #expect(!tableName.matches("ok\n"))
        let either = PatternMatcher("a|ab")
        #expect(either.matches("ab"))
        // Java escapes the models use (\u0020, \p{L}) work as ICU reads them.
        #expect(PatternMatcher("[\\u0020-\\u00FF]+").matches("Hello"))
        #expect(PatternMatcher("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*").matches("Été 2024"))
    }

    @Test func nearestNamesAreLikelyTypos() {
        #expect(NearestName.find("put_itme", among: ["put_item", "get_item"]) == "put_item")
        #expect(NearestName.find("BatchSzie", among: ["BatchSize", "Enabled"]) == "BatchSize")
        #expect(NearestName.find("dynamo", among: ["dynamodb", "kinesis"]) == "dynamodb")
        #expect(NearestName.find("s3", among: ["dynamodb", "kinesis", "iam"]) == nil)
        #expect(NearestName.find("xyz", among: ["put_item"]) == nil)
    }
}
