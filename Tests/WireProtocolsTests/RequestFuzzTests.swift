import CloudSim
import DocumentModel
import Testing

@testable import WireProtocols

/// Mutated requests (bytes flipped, cut, repeated; headers dropped and garbled; deep and
/// huge values) through the whole request path. The bound is a count, not a time: the same
/// seed gives the same requests on every machine. Each must be answered with a status and,
/// for an error, a body the protocol's parser reads; a crash fails the whole test run.
@Suite struct RequestFuzzTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static let seeds: [(method: String, target: String, headers: [(String, String)], body: String, service: String)] = [
        ("POST", "/", [("X-Amz-Target", "DynamoDB_20120810.PutItem"), ("Content-Type", "application/x-amz-json-1.0")],
         ##"{"TableName":"Things","Item":{"id":{"S":"a"},"n":{"N":"1"},"m":{"M":{"l":{"L":[{"B":"AAE="},{"NULL":true}]}}}},"ConditionExpression":"attribute_not_exists(id) AND size(#n) > :v","ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":v":{"N":"3"}}}"##,
         "dynamodb"),
        ("POST", "/", [("X-Amz-Target", "DynamoDB_20120810.Query"), ("Content-Type", "application/x-amz-json-1.0")],
         #"{"TableName":"Things","KeyConditionExpression":"id = :v","ExpressionAttributeValues":{":v":{"S":"a"}},"Limit":5}"#, "dynamodb"),
        ("POST", "/", [("X-Amz-Target", "Kinesis_20131202.PutRecords"), ("Content-Type", "application/x-amz-json-1.1")],
         #"{"StreamName":"S","Records":[{"Data":"aGVsbG8=","PartitionKey":"p"},{"Data":"","PartitionKey":"q"}]}"#, "kinesis"),
        ("POST", "/", [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
         "Action=CreatePolicy&Version=2010-05-08&PolicyName=P&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D&Tags.member.1.Key=a&Tags.member.1.Value=b",
         "iam"),
        ("POST", "/2015-03-31/functions/F/invocations", [("X-Amz-Invocation-Type", "RequestResponse"), ("X-Amz-Log-Type", "Tail")],
         #"{"Records":[]}"#, "lambda"),
        ("GET", "/2015-03-31/event-source-mappings/?FunctionName=F&MaxItems=10", [], "", "lambda"),
    ]

    static let interesting: [String] = [
        "", "{", "}", "null", "[]", "{}", "\"", "\\u0000", "\u{0}", "9999999999999999999999999", "-1", "1e999", "NaN", "true",
        String(repeating: "[", count: 300), String(repeating: "{\"a\":", count: 300), "%", "%ZZ", "&&&===", ".member.0", "\u{FFFF}",
        String(repeating: "A", count: 5000),
    ]

    func mutate(_ text: String, _ g: inout Generator) -> String {
        var bytes = Array(text.utf8)
        switch g.below(6) {
        case 0 where !bytes.isEmpty: bytes[g.below(bytes.count)] = UInt8(truncatingIfNeeded: g.next())
        case 1: bytes = Array(bytes.prefix(g.below(bytes.count + 1)))
        case 2 where !bytes.isEmpty:
            let at = g.below(bytes.count)
            bytes.insert(contentsOf: Array(Self.interesting[g.below(Self.interesting.count)].utf8), at: at)
        case 3: bytes += bytes
        case 4: bytes = Array(Self.interesting[g.below(Self.interesting.count)].utf8)
        default:
            if let i = bytes.firstIndex(of: UInt8(ascii: ":")) { bytes.insert(contentsOf: Array("[".utf8), at: i + 1) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func mutatedRequestsAreAnsweredWithReadableErrors() throws {
        let client = TestClient()
        _ = client.json("DynamoDB_20120810.CreateTable", [
            "TableName": "Things", "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
            "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]], "BillingMode": "PAY_PER_REQUEST",
        ])
        var g = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var statuses: [Int: Int] = [:]
        for round in 0..<3000 {
            let seed = Self.seeds[round % Self.seeds.count]
            var headers = seed.headers
            var target = seed.target
            var body = seed.body
            var method = seed.method
            switch g.below(5) {
            case 0: body = mutate(body, &g)
            case 1: target = mutate(target, &g)
            case 2 where !headers.isEmpty:
                let i = g.below(headers.count)
                headers[i].1 = mutate(headers[i].1, &g)
            case 3: method = ["GET", "PUT", "DELETE", "PATCH", "POST", ""][g.below(6)]
            default:
                body = mutate(mutate(body, &g), &g)
                if !headers.isEmpty { headers.remove(at: g.below(headers.count)) }
            }
            let request = TestClient.sign(method, target, headers: headers, body: Array(body.utf8), service: seed.service, region: "us-west-2")
            let response = client.dispatcher.respond(to: request)
            statuses[response.status, default: 0] += 1
            #expect((200..<600).contains(response.status))
            if response.status >= 400 {
                let readable = response.header("Content-Type") == "text/xml"
                    ? response.text.contains("<Code>") : response.header("x-amzn-ErrorType") != nil || response.document["__type"] != nil
                #expect(readable, "round \(round): an error without a code: \(response.status) \(response.text.prefix(200))")
            }
        }
        // The mutations reach past the parsers: some requests still succeed, most fail.
        #expect(statuses[200, default: 0] > 0 && statuses.filter { $0.key >= 400 }.values.reduce(0, +) > 1000, "\(statuses)")
    }
}
