import CloudSim
import DocumentModel
import Testing

@testable import WireProtocols

/// Each protocol's reading and writing, as botocore's serializers and parsers expect them.
@Suite struct ProtocolTests {
    let client = TestClient()

    func createTable(_ name: String = "Things") -> WireResponse {
        client.json("DynamoDB_20120810.CreateTable", [
            "TableName": .string(name), "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]], "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]],
        ])
    }

    @Test func awsJsonAnswersWithItsContentTypeAndARequestID() {
        let response = createTable()
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/x-amz-json-1.0")
        #expect(response.header("x-amzn-RequestId") == "00000000-0000-4000-8000-000000000001")
        #expect(response.document["TableDescription"]?["TableName"] == "Things")
        // Timestamps are epoch seconds of the virtual clock (2024-01-01 at its start).
        #expect(response.document["TableDescription"]?["CreationDateTime"]?.doubleValue == 1_704_067_200)
    }

    @Test func blobsTravelAsBase64BothWays() throws {
        _ = createTable()
        let bytes: [UInt8] = [0, 255, 1, 128]
        let put = client.json("DynamoDB_20120810.PutItem", ["TableName": "Things", "Item": ["id": ["S": "a"], "b": ["B": .string(Base64.encode(bytes))]]])
        #expect(put.status == 200)
        let stored = try client.account.call("dynamodb", "GetItem", ["TableName": "Things", "Key": ["id": ["S": "a"]]])
        #expect(stored["Item"]?["b"]?["B"]?.bytesValue == bytes, "the account holds the bytes, not their base64")
        let got = client.json("DynamoDB_20120810.GetItem", ["TableName": "Things", "Key": ["id": ["S": "a"]]])
        #expect(got.document["Item"]?["b"]?["B"]?.stringValue == Base64.encode(bytes))
        let bad = client.json("DynamoDB_20120810.PutItem", ["TableName": "Things", "Item": ["id": ["S": "x"], "b": ["B": "not base64!"]]])
        #expect(bad.status == 400 && bad.document["__type"]?.stringValue?.hasSuffix("SerializationException") == true)
    }

    @Test func awsJsonErrorsCarryTheTypeMessageAndFields() {
        let missing = client.json("DynamoDB_20120810.DescribeTable", ["TableName": "Nope"])
        #expect(missing.status == 400)
        #expect(missing.document["__type"] == "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException")
        #expect(missing.document["message"]?.stringValue?.contains("Nope") == true)
        _ = createTable()
        let cancelled = client.json("DynamoDB_20120810.TransactWriteItems", ["TransactItems": [
            ["ConditionCheck": ["TableName": "Things", "Key": ["id": ["S": "z"]], "ConditionExpression": "attribute_exists(id)"]],
        ]])
        #expect(cancelled.document["CancellationReasons"]?.arrayValue?.first?["Code"] == "ConditionalCheckFailed")
        let invalid = client.json("DynamoDB_20120810.CreateTable", ["TableName": "ab"])
        #expect(invalid.document["__type"]?.stringValue?.hasSuffix("#ValidationException") == true)
    }

    @Test func kinesisUsesJson11AndItsOwnPrefixlessTypes() {
        let created = client.json("Kinesis_20131202.CreateStream", ["StreamName": "S", "ShardCount": 1], service: "kinesis", version: "1.1")
        #expect(created.status == 200 && created.header("Content-Type") == "application/x-amz-json-1.1")
        let again = client.json("Kinesis_20131202.CreateStream", ["StreamName": "S", "ShardCount": 1], service: "kinesis", version: "1.1")
        #expect(again.document["__type"] == "ResourceInUseException")
    }

    @Test func queryFormsReadListsAndStructuresAndAnswerInXML() {
        let trust = #"{"Version":"2012-10-17","Statement":[]}"#
        let created = client.form([("Action", "CreateRole"), ("Version", "2010-05-08"), ("RoleName", "R"), ("AssumeRolePolicyDocument", trust),
            ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "data")])
        #expect(created.status == 200 && created.header("Content-Type") == "text/xml")
        #expect(created.text.contains("<CreateRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><CreateRoleResult><Role>"))
        #expect(created.text.contains("<CreateDate>2024-01-01T00:00:00.000Z</CreateDate>"))
        let simulated = client.form([("Action", "SimulatePrincipalPolicy"), ("Version", "2010-05-08"),
            ("PolicySourceArn", "arn:aws:iam::123456789012:role/R"), ("ActionNames.member.1", "s3:GetObject"), ("ActionNames.member.2", "dynamodb:GetItem")])
        #expect(simulated.status == 200)
        #expect(simulated.text.split(separator: "<EvalActionName>", omittingEmptySubsequences: false).count == 3, "both listed actions were read")
        let missing = client.form([("Action", "GetRole"), ("Version", "2010-05-08"), ("RoleName", "Nobody")])
        #expect(missing.status == 404)
        #expect(missing.text.contains("<Error><Type>Sender</Type><Code>NoSuchEntity</Code>"))
    }

    @Test func stsAnswersWhoTheKeyIs() {
        let me = client.form([("Action", "GetCallerIdentity"), ("Version", "2011-06-15")], service: "sts")
        #expect(me.status == 200)
        #expect(me.text.contains("<Account>123456789012</Account>") && me.text.contains("<GetCallerIdentityResult>"))
    }

    @Test func restJsonBindsPathQueryHeadersAndStatus() {
        _ = client.form([("Action", "CreateRole"), ("Version", "2010-05-08"), ("RoleName", "R"), ("AssumeRolePolicyDocument", "{}")])
        let create: Document = ["FunctionName": "F", "Role": "arn:aws:iam::123456789012:role/R", "Handler": "f.handler", "Code": ["Source": "return function() end"]]
        let created = client.send("POST", "/2015-03-31/functions", body: Array(((try? create.jsonText()) ?? "").utf8), service: "lambda")
        #expect(created.status == 201, "CreateFunction answers 201 as its model says")
        #expect(created.document["LastModified"]?.stringValue == "2024-01-01T00:00:00.000+0000")
        let arn = "arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3AF"
        let byARN = client.send("GET", "/2015-03-31/functions/\(arn)", service: "lambda")
        #expect(byARN.status == 200 && byARN.document["Configuration"]?["FunctionName"] == "F")
        let missing = client.send("GET", "/2015-03-31/functions/Nope/configuration", service: "lambda")
        #expect(missing.status == 404 && missing.header("x-amzn-ErrorType") == "ResourceNotFoundException")
        let concurrency = client.send("PUT", "/2017-10-31/functions/F/concurrency", body: Array(#"{"ReservedConcurrentExecutions": 3}"#.utf8), service: "lambda")
        #expect(concurrency.status == 200 && concurrency.document["ReservedConcurrentExecutions"] == 3)
        let deleted = client.send("DELETE", "/2015-03-31/functions/F", service: "lambda")
        #expect(deleted.status == 204 && deleted.body.isEmpty)
    }

    @Test func routingFailuresNameWhatIsUnknown() {
        #expect(client.json("DynamoDB_20120810.Explode", [:]).document["__type"] == "UnknownOperationException")
        #expect(client.json("Nope_1.ListTables", [:]).status == 400)
        #expect(client.send("GET", "/2015-03-31/nothing", service: "lambda").status == 404)
        #expect(client.form([("Version", "2010-05-08")]).text.contains("<Code>MissingAction</Code>"))
        #expect(client.form([("Action", "Explode"), ("Version", "2010-05-08")]).text.contains("<Code>InvalidAction</Code>"))
    }

    @Test func theKeyDecidesTheAccountAndAnotherKeyReachesNothing() {
        let other = WireCredentials(accessKeyID: "AKIAOTHEROTHEROTHER0", secretAccessKey: "other")
        let request = TestClient.sign(
            "POST", "/", headers: [("X-Amz-Target", "DynamoDB_20120810.ListTables")], body: Array("{}".utf8), service: "dynamodb",
            region: "us-west-2", credentials: other)
        let response = client.dispatcher.respond(to: request)
        #expect(response.status == 400 && response.document["__type"]?.stringValue?.hasSuffix("UnrecognizedClientException") == true)
        let scoped = TestClient.sign("POST", "/", headers: [("X-Amz-Target", "DynamoDB_20120810.ListTables")], body: Array("{}".utf8), service: "kinesis", region: "us-west-2")
        #expect(client.dispatcher.respond(to: scoped).document["message"]?.stringValue?.contains("scoped to correct service") == true)
    }

    @Test func everyResponseMemberIsInTheOperationsOutputShape() {
        _ = createTable()
        _ = client.json("DynamoDB_20120810.PutItem", ["TableName": "Things", "Item": ["id": ["S": "a"]]])
        _ = client.json("DynamoDB_20120810.DescribeTable", ["TableName": "Things"])
        _ = client.json("DynamoDB_20120810.Scan", ["TableName": "Things"])
        _ = client.json("Kinesis_20131202.CreateStream", ["StreamName": "S", "ShardCount": 1], service: "kinesis", version: "1.1")
        _ = client.json("Kinesis_20131202.DescribeStream", ["StreamName": "S"], service: "kinesis", version: "1.1")
        _ = client.json("Kinesis_20131202.ListShards", ["StreamName": "S"], service: "kinesis", version: "1.1")
        _ = client.form([("Action", "CreateRole"), ("Version", "2010-05-08"), ("RoleName", "R"), ("AssumeRolePolicyDocument", "{}")])
        _ = client.form([("Action", "ListRoles"), ("Version", "2010-05-08")])
        let create: Document = ["FunctionName": "F", "Role": "arn:aws:iam::123456789012:role/R", "Code": ["Source": "return function() end"]]
        _ = client.send("POST", "/2015-03-31/functions", body: Array(((try? create.jsonText()) ?? "").utf8), service: "lambda")
        _ = client.send("GET", "/2015-03-31/functions/F", service: "lambda")
        #expect(client.dispatcher.unmodelled.isEmpty, "members outside the model: \(client.dispatcher.unmodelled)")
    }
}
