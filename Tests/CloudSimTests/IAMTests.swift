import CloudSim
import DocumentModel
import Testing

@Suite struct IAMTests {
    /// An account with role R whose one managed policy holds `statements`.
    func role(_ statements: String, inline: String? = nil) throws -> (CloudAccount, Role) {
        let a = CloudAccount()
        _ = try a.call("iam", "CreateRole", ["RoleName": "R", "AssumeRolePolicyDocument": "{}"])
        let arn = try a.call("iam", "CreatePolicy", ["PolicyName": "P", "PolicyDocument": .string(#"{"Version":"2012-10-17","Statement":\#(statements)}"#)])["Policy"]?["Arn"]
        _ = try a.call("iam", "AttachRolePolicy", ["RoleName": "R", "PolicyArn": arn ?? .null])
        if let inline {
            _ = try a.call("iam", "PutRolePolicy", ["RoleName": "R", "PolicyName": "I", "PolicyDocument": .string(#"{"Version":"2012-10-17","Statement":\#(inline)}"#)])
        }
        return (a, try a.iam.role("R"))
    }

    static let table = "arn:aws:dynamodb:us-west-2:123456789012:table/AggregateTable"
    static let stream = "arn:aws:dynamodb:us-west-2:123456789012:table/ReduceTable/stream/2024-01-01T00:00:00.000"

    @Test(arguments: [
        (#"{"Effect":"Allow","Action":"dynamodb:UpdateItem","Resource":"\#(table)"}"#, "dynamodb:UpdateItem", table, "allowed"),
        (#"{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"\#(table)"}"#, "dynamodb:UpdateItem", table, "implicitDeny"),
        (#"[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"},{"Effect":"Deny","Action":"dynamodb:UpdateItem","Resource":"\#(table)"}]"#, "dynamodb:UpdateItem", table, "explicitDeny"),
        (#"{"Effect":"Allow","Action":"DynamoDB:update*","Resource":"*"}"#, "dynamodb:UpdateItem", table, "allowed"),
        (#"{"Effect":"Allow","Action":"dynamodb:?etRecords","Resource":"arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/*"}"#, "dynamodb:GetRecords", stream, "allowed"),
        (#"{"Effect":"Allow","Action":"dynamodb:GetRecords","Resource":"arn:aws:dynamodb:us-west-2:*:table/StateTable/stream/*"}"#, "dynamodb:GetRecords", stream, "implicitDeny"),
        (#"{"Effect":"Allow","NotAction":"dynamodb:DeleteItem","Resource":"*"}"#, "dynamodb:UpdateItem", table, "allowed"),
        (#"{"Effect":"Allow","NotAction":"dynamodb:UpdateItem","Resource":"*"}"#, "dynamodb:UpdateItem", table, "implicitDeny"),
        (#"{"Effect":"Allow","Action":"*","NotResource":"\#(table)"}"#, "dynamodb:UpdateItem", table, "implicitDeny"),
        (#"{"Effect":"Deny","NotResource":"\#(table)","Action":"*"}"#, "dynamodb:UpdateItem", table, "implicitDeny"),
        (#"{"Effect":"Allow","Action":["s3:*","dynamodb:UpdateItem"],"Resource":["arn:aws:s3:::b","\#(table)"]}"#, "dynamodb:UpdateItem", table, "allowed"),
    ])
    func evaluation(statements: String, action: String, resource: String, expected: String) throws {
        let (a, r) = try role(statements)
        #expect(a.iam.evaluate(role: r, action: action, resource: resource).decision == expected, "\(statements)")
    }

    @Test func inlinePoliciesCountAndDenyWins() throws {
        let (a, r) = try role(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#, inline: #"{"Sid":"NoUpdates","Effect":"Deny","Action":"dynamodb:UpdateItem","Resource":"*"}"#)
        let decision = a.iam.evaluate(role: r, action: "dynamodb:UpdateItem", resource: Self.table)
        #expect(decision.decision == "explicitDeny")
        #expect(decision.matched.first?.sid == "NoUpdates")
    }

    @Test(arguments: [
        "not json", #"{"Statement":[]}"#, #"{"Version":"2012-10-17","Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"UpdateItem","Resource":"*"}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"table/X"}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","NotAction":"x:y","Resource":"*"}}"#,
    ])
    func malformedDocumentsAreRejected(document: String) {
        let a = CloudAccount()
        // IAM's error shape MalformedPolicyDocumentException has the code MalformedPolicyDocument
        // on the wire (the model's `error.code`; https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html, Errors).
        expectAWSError("MalformedPolicyDocument") {
            _ = try a.call("iam", "CreatePolicy", ["PolicyName": "P", "PolicyDocument": .string(document)])
        }
        #expect(!a.iam.policies.values.contains { !$0.awsManaged }, "no customer policy was created")
    }

    @Test func policyVersionsAreLimitedToFiveAndDefaultSwitches() throws {
        let (a, r) = try role(#"{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}"#)
        let arn: Document = "arn:aws:iam::123456789012:policy/P"
        _ = try a.call("iam", "CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:UpdateItem","Resource":"*"}}"#, "SetAsDefault": true])
        #expect(a.iam.evaluate(role: r, action: "dynamodb:UpdateItem", resource: Self.table).allowed)
        _ = try a.call("iam", "SetDefaultPolicyVersion", ["PolicyArn": arn, "VersionId": "v1"])
        #expect(!a.iam.evaluate(role: r, action: "dynamodb:UpdateItem", resource: Self.table).allowed)
        for _ in 0..<3 {
            _ = try a.call("iam", "CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"x:y","Resource":"*"}}"#])
        }
        expectAWSError("LimitExceeded") {
            _ = try a.call("iam", "CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"x:y","Resource":"*"}}"#])
        }
        #expect(try a.call("iam", "ListPolicyVersions", ["PolicyArn": arn])["Versions"]?.arrayValue?.count == 5)
    }

    @Test func simulatePrincipalPolicyNamesTheDecidingStatement() throws {
        let (a, _) = try role(#"[{"Sid":"Read","Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}]"#)
        let result = try a.call("iam", "SimulatePrincipalPolicy", ["PolicySourceArn": "arn:aws:iam::123456789012:role/R", "ActionNames": ["dynamodb:GetItem", "dynamodb:PutItem"], "ResourceArns": [.string(Self.table)]])
        let rows = result["EvaluationResults"]?.arrayValue ?? []
        #expect(rows.map { $0["EvalDecision"] } == ["allowed", "implicitDeny"])
        #expect(rows.first?["MatchedStatements"]?.arrayValue?.first?["Sid"] == "Read")
    }

    @Test func deniedCallsUseAWSsMessage() throws {
        let (a, _) = try role(#"{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}"#)
        expectAWSError("AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/R/Fn is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-west-2:123456789012:table/Things because no identity-based policy allows the dynamodb:PutItem action") {
            _ = try a.call("dynamodb", "PutItem", ["TableName": "Things", "Item": ["id": ["S": "x"]]], as: .role(arn: "arn:aws:iam::123456789012:role/R", session: "Fn"))
        }
    }

    @Test func transactionsAreAuthorizedPerItemAction() throws {
        let (a, _) = try role(#"{"Effect":"Allow","Action":"dynamodb:UpdateItem","Resource":"*"}"#)
        _ = try a.call("dynamodb", "CreateTable", ["TableName": "Agg", "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]], "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]]])
        let caller = Identity.role(arn: "arn:aws:iam::123456789012:role/R", session: "Fn")
        let update: Document = ["Update": ["TableName": "Agg", "Key": ["id": ["S": "k"]], "UpdateExpression": "ADD v :one", "ExpressionAttributeValues": [":one": ["N": "1"]]]]
        _ = try a.call("dynamodb", "TransactWriteItems", ["TransactItems": [update]], as: caller)
        let put: Document = ["Put": ["TableName": "Agg", "Item": ["id": ["S": "p"]]]]
        expectAWSError("AccessDeniedException", "dynamodb:PutItem") {
            _ = try a.call("dynamodb", "TransactWriteItems", ["TransactItems": [put]], as: caller)
        }
    }
}
