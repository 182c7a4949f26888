import CloudSim
import DocumentModel

@testable import WireProtocols

/// A client's side for the tests: signs requests as the SDKs do (the algorithm the
/// documented example in SignatureV4Tests pins down) and sends them to a dispatcher.
struct TestClient {
    static let credentials = WireCredentials(accessKeyID: "AKIATESTTESTTESTTEST", secretAccessKey: "secret/of+the/test/account")
    static let now = 1_800_000_000.0

    let account: CloudAccount
    let dispatcher: WireDispatcher

    init(account: CloudAccount = CloudAccount()) {
        self.account = account
        dispatcher = WireDispatcher(
            accounts: [WireAccount(credentials: Self.credentials, region: account.region) { [account] operation, request in
                try account.call(operation, request)
            }],
            wallClock: { Self.now })
    }

    /// Signs and sends; `service` is the credential scope's.
    func send(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = [], service: String) -> WireResponse {
        dispatcher.respond(to: Self.sign(method, target, headers: headers, body: body, service: service, region: account.region))
    }

    /// An awsJson request (`X-Amz-Target: Prefix.Operation`).
    func json(_ target: String, _ body: Document, service: String = "dynamodb", version: String = "1.0") -> WireResponse {
        send("POST", "/", headers: [("X-Amz-Target", target), ("Content-Type", "application/x-amz-json-\(version)")],
            body: Array(((try? body.jsonText()) ?? "{}").utf8), service: service)
    }

    /// A query-protocol form.
    func form(_ fields: [(String, String)], service: String = "iam") -> WireResponse {
        let body = fields.map { "\(FormEncoding.encode($0.0))=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        return send("POST", "/", headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: Array(body.utf8), service: service)
    }

    static func sign(
        _ method: String, _ target: String, headers: [(String, String)], body: [UInt8], service: String, region: String,
        credentials: WireCredentials = credentials
    ) -> WireRequest {
        let request = WireRequest(
            method: method, target: target, headers: headers.map { (name: $0.0, value: $0.1) } + [("Host", "127.0.0.1:4566")], body: body)
        return SignatureV4.sign(request, credentials: credentials, region: region, service: service, at: now)
    }
}

extension WireResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
    var document: Document { (try? Document(jsonBytes: body)) ?? .null }
}
