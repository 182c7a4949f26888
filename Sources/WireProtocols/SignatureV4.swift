import CloudSim
import Hashing

/// The access key and secret of one simulated account.
public struct WireCredentials: Sendable, Hashable {
    public let accessKeyID: String
    public let secretAccessKey: String

    public init(accessKeyID: String, secretAccessKey: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }
}

/// Why a request's Signature Version 4 does not authenticate it.
enum SignatureFailure: Error, Equatable {
    /// No `Authorization` header (and no presigned query).
    case missing
    /// An `Authorization` header that is not `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
    case malformed(String)
    case unknownAccessKey
    case mismatch
    /// `X-Amz-Date` further than 15 minutes from the endpoint's wall clock, in AWS's words.
    case expired(String)
    /// The credential scope names another region than the account's.
    case wrongRegion(String)
}

/// Verifies AWS Signature Version 4 as the services do
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
/// the canonical request is rebuilt from what arrived, signed with the secret of the access
/// key the credential names, and compared with the signature sent.
package struct SignatureV4 {
    /// How far `X-Amz-Date` may be from the endpoint's clock (AWS allows 15 minutes).
    static let allowedSkew: Double = 15 * 60

    /// The signing parts of an `Authorization` header.
    struct Authorization: Equatable {
        let accessKeyID: String
        let date: String
        let region: String
        let service: String
        let signedHeaders: [String]
        let signature: String
    }

    /// Parses `AWS4-HMAC-SHA256 Credential=AKID/20261202/us-west-2/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=…`.
    /// It reads bytes, not characters: every request passes here.
    static func authorization(_ request: WireRequest) throws(SignatureFailure) -> Authorization {
        guard let header = request.header("Authorization") else { throw .missing }
        let prefix = "AWS4-HMAC-SHA256 "
        guard header.hasPrefix(prefix) else { throw .malformed("Authorization header must start with AWS4-HMAC-SHA256") }
        var credential: String?
        var signed: String?
        var signature: String?
        for part in header.utf8.dropFirst(prefix.utf8.count).split(separator: UInt8(ascii: ",")) {
            let field = part.drop { $0 == 32 || $0 == 9 }
            guard let equals = field.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let value = String(decoding: field[field.index(after: equals)...], as: UTF8.self)
            switch String(decoding: field[..<equals], as: UTF8.self) {
            case "Credential": credential = value
            case "SignedHeaders": signed = value
            case "Signature": signature = value.lowercased()
            default: continue
            }
        }
        guard let credential, let signed, let signature else {
            throw .malformed("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters")
        }
        let scope = credential.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard scope.count == 5, scope[4] == "aws4_request", !scope[0].isEmpty else {
            throw .malformed("Credential should be scoped to a valid region, like 'us-west-2', and end in aws4_request")
        }
        return Authorization(
            accessKeyID: scope[0], date: scope[1], region: scope[2], service: scope[3],
            signedHeaders: signed.utf8.split(separator: UInt8(ascii: ";")).map { String(decoding: $0, as: UTF8.self).lowercased() },
            signature: signature)
    }

    /// The access key of a correctly signed request.
    /// - Parameters:
    ///   - secret: the secret of an access key, nil when no account has it.
    ///   - region: the account's region, which the credential scope must name.
    ///   - now: the endpoint's wall clock as Unix seconds (signatures are a wall-clock matter).
    static func verify(
        _ request: WireRequest, region: String, now: Double, secret: (String) -> String?
    ) throws(SignatureFailure) -> String {
        try verify(request, authorization(request), region: region, now: now, secret: secret)
    }

    /// As above, with the `Authorization` header already parsed.
    static func verify(
        _ request: WireRequest, _ auth: Authorization, region: String, now: Double, secret: (String) -> String?
    ) throws(SignatureFailure) -> String {
        guard let secretKey = secret(auth.accessKeyID) else { throw .unknownAccessKey }
        guard let amzDate = request.header("X-Amz-Date"), let signedAt = basicTime(amzDate), amzDate.hasPrefix(auth.date) else {
            throw .malformed("X-Amz-Date must be set to the signing time (YYYYMMDDTHHMMSSZ) of the credential's date")
        }
        if signedAt < now - allowedSkew {
            throw .expired("Signature expired: \(amzDate) is now earlier than \(basicText(now - allowedSkew)) (\(basicText(now)) - 15 min.)")
        }
        if signedAt > now + allowedSkew {
            throw .expired("Signature not yet current: \(amzDate) is still later than \(basicText(now + allowedSkew)) (\(basicText(now)) + 15 min.)")
        }
        guard auth.region == region else { throw .wrongRegion(auth.region) }
        let canonical = canonicalRequest(request, signedHeaders: auth.signedHeaders)
        let scope = "\(auth.date)/\(auth.region)/\(auth.service)/aws4_request"
        let toSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Digest.hex(Digest.sha256(canonical.utf8)))"
        let expected = signature(toSign, secret: secretKey, day: auth.date, region: auth.region, service: auth.service)
        guard constantTimeEqual(expected, auth.signature) else { throw .mismatch }
        return auth.accessKeyID
    }

    /// Signs `request` as an SDK does: adds `X-Amz-Date` and an `Authorization` header over
    /// every header it has. For tests and benchmarks, which play the client.
    package static func sign(
        _ request: WireRequest, credentials: WireCredentials, region: String, service: String, at unixSeconds: Double
    ) -> WireRequest {
        var request = request
        let date = basicText(unixSeconds)
        request.headers.append(("X-Amz-Date", date))
        let signed = request.headers.map { $0.name.lowercased() }.sorted()
        let day = String(date.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let canonical = canonicalRequest(request, signedHeaders: signed)
        let toSign = "AWS4-HMAC-SHA256\n\(date)\n\(scope)\n\(Digest.hex(Digest.sha256(canonical.utf8)))"
        request.headers.append((
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signed.joined(separator: ";")), "
                + "Signature=\(signature(toSign, secret: credentials.secretAccessKey, day: day, region: region, service: service))"
        ))
        return request
    }

    /// The hex HMAC of a string to sign under the key derived for its day, region and service.
    static func signature(_ toSign: String, secret: String, day: String, region: String, service: String) -> String {
        var key = Digest.hmacSHA256(key: Array("AWS4\(secret)".utf8), day.utf8)
        for part in [region, service, "aws4_request"] { key = Digest.hmacSHA256(key: key, part.utf8) }
        return Digest.hex(Digest.hmacSHA256(key: key, toSign.utf8))
    }

    /// The canonical request: method, URI, query, the signed headers and the payload's hash.
    static func canonicalRequest(_ request: WireRequest, signedHeaders: [String]) -> String {
        // Services other than S3 encode the path once more when signing (botocore and the
        // other SDKs do the same), so `%3A` in a function ARN is signed as `%253A`.
        let uri = request.path.isEmpty ? "/" : FormEncoding.encode(request.path, keepSlash: true)
        let query = request.queryItems
            .map { (FormEncoding.encode($0.0), FormEncoding.encode($0.1)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
        let names = request.headers.map { $0.name.lowercased() }
        var headers = ""
        for name in signedHeaders {
            let values = request.headers.indices.filter { names[$0] == name }.map { collapse(request.headers[$0].value) }
            headers += "\(name):\(values.joined(separator: ","))\n"
        }
        let payload = request.header("X-Amz-Content-Sha256") ?? Digest.hex(Digest.sha256(request.body))
        return [request.method, uri, query, headers, signedHeaders.joined(separator: ";"), payload].joined(separator: "\n")
    }

    /// Trims a header value and folds runs of spaces into one, as canonical headers want.
    private static func collapse(_ value: String) -> String {
        var out = ""
        var lastSpace = false
        for c in value.trimmingSpaces {
            if c == " " || c == "\t" {
                if !lastSpace { out.append(" ") }
                lastSpace = true
            } else {
                out.append(c)
                lastSpace = false
            }
        }
        return out
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// `20261202T003000Z` as Unix seconds.
    static func basicTime(_ text: String) -> Double? {
        let b = Array(text.utf8)
        guard b.count == 16, b[8] == 84, b[15] == 90 else { return nil }
        let iso = "\(text.prefix(4))-\(text.dropFirst(4).prefix(2))-\(text.dropFirst(6).prefix(2))T"
            + "\(text.dropFirst(9).prefix(2)):\(text.dropFirst(11).prefix(2)):\(text.dropFirst(13).prefix(2))Z"
        return UnixTimeText.parse(iso)
    }

    /// Unix seconds as `20261202T003000Z`.
    static func basicText(_ unix: Double) -> String {
        let iso = UnixTimeText.iso8601(unix)
        return iso.prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
    }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        let s = Substring(self)
        guard let first = s.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = s.lastIndex(where: { $0 != " " && $0 != "\t" }) ?? first
        return s[first...last]
    }
}

extension SignatureV4 {
    /// The access key a request's `Authorization` header names, if it has a readable one.
    package static func accessKey(of request: WireRequest) -> String? {
        try? authorization(request).accessKeyID
    }

    /// Why a request is not signed for `service` by `credentials`, or nil when it is.
    package static func problem(
        _ request: WireRequest, credentials: WireCredentials, region: String, service: String, now: Double
    ) -> String? {
        do {
            let auth = try authorization(request)
            guard auth.service == service else { return "Credential should be scoped to correct service: '\(service)'." }
            _ = try verify(request, auth, region: region, now: now) { $0 == credentials.accessKeyID ? credentials.secretAccessKey : nil }
            return nil
        } catch {
            switch error {
            case .missing: return "the request is not signed (Signature Version 4 with the learner's key)"
            case .malformed(let why), .expired(let why): return why
            case .unknownAccessKey: return "the access key is not this learner's"
            case .mismatch: return "The request signature we calculated does not match the signature you provided."
            case .wrongRegion(let region): return "the credential is scoped to \(region), not this session's region"
            }
        }
    }
}
