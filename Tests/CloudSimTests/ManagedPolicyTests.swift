import CloudSim
import DocumentModel
import Testing

/// AWS managed policies exist in every account with AWS's documents
/// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaKinesisExecutionRole.html and siblings).
@Suite struct ManagedPolicyTests {
    static let kinesisRole = "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole"

    @Test func getPolicyAndItsDefaultVersionShowAWSsDocument() throws {
        let a = CloudAccount()
        let policy = try #require(try a.call("iam", "GetPolicy", ["PolicyArn": .string(Self.kinesisRole)])["Policy"])
        #expect(policy["Path"] == "/service-role/")
        #expect(policy["DefaultVersionId"] == "v2")
        #expect(policy["PolicyName"] == "AWSLambdaKinesisExecutionRole")
        let version = try a.call("iam", "GetPolicyVersion", ["PolicyArn": .string(Self.kinesisRole), "VersionId": "v2"])
        let document = try Document(jsonText: version["PolicyVersion"]?["Document"]?.stringValue ?? "")
        let actions = document["Statement"]?.arrayValue?.first?["Action"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(actions.contains("kinesis:SubscribeToShard") && actions.contains("logs:PutLogEvents") && actions.count == 10)
    }

    @Test func listPoliciesScopesAWSAndLocal() throws {
        let a = CloudAccount()
        _ = try a.call("iam", "CreatePolicy", ["PolicyName": "Mine", "PolicyDocument": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#])
        func names(_ request: Document) throws -> [String] {
            try a.call("iam", "ListPolicies", request)["Policies"]?.arrayValue?.compactMap { $0["PolicyName"]?.stringValue } ?? []
        }
        let aws = try names(["Scope": "AWS"])
        #expect(Set(aws) == ["AWSLambdaBasicExecutionRole", "AWSLambdaKinesisExecutionRole", "AWSLambdaDynamoDBExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AdministratorAccess"])
        #expect(try names(["Scope": "Local"]) == ["Mine"])
        #expect(try names([:]).count == 6)
        #expect(try names(["Scope": "AWS", "PathPrefix": "/service-role/"]).count == 4)
        #expect(try names(["OnlyAttached": true]).isEmpty)
    }

    @Test func anAttachedManagedPolicyAuthorizes() throws {
        let a = CloudAccount()
        _ = try a.call("iam", "CreateRole", ["RoleName": "R", "AssumeRolePolicyDocument": "{}"])
        _ = try a.call("iam", "AttachRolePolicy", ["RoleName": "R", "PolicyArn": .string(Self.kinesisRole)])
        let role = try a.iam.role("R")
        #expect(a.iam.evaluate(role: role, action: "kinesis:GetRecords", resource: "arn:aws:kinesis:us-west-2:123456789012:stream/S").allowed)
        #expect(!a.iam.evaluate(role: role, action: "dynamodb:GetRecords", resource: "*").allowed)
        let attached = try a.call("iam", "ListAttachedRolePolicies", ["RoleName": "R"])["AttachedPolicies"]?.arrayValue?.first
        #expect(attached?["PolicyName"] == "AWSLambdaKinesisExecutionRole")
    }

    @Test func anAWSManagedPolicyCannotBeChanged() throws {
        let a = CloudAccount()
        #expect(throws: AWSError.self) {
            _ = try a.call("iam", "CreatePolicyVersion", ["PolicyArn": .string(Self.kinesisRole), "PolicyDocument": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#])
        }
        #expect(throws: AWSError.self) { _ = try a.call("iam", "DeletePolicy", ["PolicyArn": .string(Self.kinesisRole)]) }
    }
}
