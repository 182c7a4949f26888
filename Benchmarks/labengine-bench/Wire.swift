import CloudSim
import DocumentModel
import WireProtocols

/// The endpoint's own cost per request, without a socket or a client: route, verify the
/// signature, decode, perform, encode. (`make bench` also measures GetItem over boto3.)
func wireBenchmarks() throws {
    let account = CloudAccount()
    try table(account, "Bench", stream: false)
    _ = try account.call("dynamodb", "PutItem", ["TableName": "Bench", "Item": ["id": ["S": "k"], "v": ["N": "1"], "s": ["S": "some text"]]])
    let credentials = WireCredentials(accessKeyID: "AKIABENCHBENCHBENCH0", secretAccessKey: "bench-secret")
    let now = 1_800_000_000.0
    let dispatcher = WireDispatcher(
        accounts: [WireAccount(credentials: credentials, region: account.region) { operation, request in try account.call(operation, request) }],
        wallClock: { now })
    let body = Array(#"{"TableName":"Bench","Key":{"id":{"S":"k"}}}"#.utf8)
    let request = SignatureV4.sign(
        WireRequest(
            method: "POST", target: "/",
            headers: [("Host", "127.0.0.1:4566"), ("X-Amz-Target", "DynamoDB_20120810.GetItem"), ("Content-Type", "application/x-amz-json-1.0")],
            body: body),
        credentials: credentials, region: account.region, service: "dynamodb", at: now)
    guard dispatcher.respond(to: request).status == 200 else { throw BenchError("the signed GetItem was refused") }
    try measure("wire: signed GetItem, dispatcher only", iterations: 20_000) { _ in _ = dispatcher.respond(to: request) }
    try measure("wire: GetItem, account call only", iterations: 20_000) { _ in
        _ = try account.call("dynamodb", "GetItem", ["TableName": "Bench", "Key": ["id": ["S": "k"]]])
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
