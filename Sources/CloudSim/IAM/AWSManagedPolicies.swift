/// The AWS managed policies Lambda tutorials attach, with the documents, default versions
/// and dates AWS's managed policy reference gives
/// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html).
/// They are AWS's, not the account's: `arn:aws:iam::aws:policy/<path><name>`.
enum AWSManagedPolicies {
    struct Entry {
        let name: String
        let path: String
        let version: String
        /// "Creation time" and "Edited time" of the reference page, as Unix seconds.
        let created: Double
        let updated: Double
        let document: String
        /// Whether the document was read from AWS's page here (see docs/fidelity.md).
        let verified: Bool

        var arn: String { "arn:aws:iam::aws:policy\(path)\(name)" }
    }

    private static func allow(_ actions: [String]) -> String {
        let list = actions.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [\#(list)], "Resource": "*"}]}"#
    }

    static let logs = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]

    static let all: [Entry] = [
        // April 09, 2015, 15:03 UTC; v1.
        Entry(name: "AWSLambdaBasicExecutionRole", path: "/service-role/", version: "v1", created: 1_428_591_780, updated: 1_428_591_780,
            document: allow(logs), verified: true),
        // Created April 09, 2015, 15:14 UTC; edited November 19, 2018, 20:09 UTC; v2.
        Entry(name: "AWSLambdaKinesisExecutionRole", path: "/service-role/", version: "v2", created: 1_428_592_440, updated: 1_542_658_140,
            document: allow([
                "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
                "kinesis:ListShards", "kinesis:ListStreams", "kinesis:SubscribeToShard",
            ] + logs), verified: true),
        // April 09, 2015, 15:09 UTC; v1.
        Entry(name: "AWSLambdaDynamoDBExecutionRole", path: "/service-role/", version: "v1", created: 1_428_592_140, updated: 1_428_592_140,
            document: allow(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"] + logs),
            verified: true),
        Entry(name: "AWSLambdaSQSQueueExecutionRole", path: "/service-role/", version: "v1", created: 1_511_222_400, updated: 1_511_222_400,
            document: allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"] + logs), verified: false),
        Entry(name: "AdministratorAccess", path: "/", version: "v1", created: 1_423_247_940, updated: 1_423_247_940,
            document: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#, verified: false),
    ]
}
