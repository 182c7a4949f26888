import CloudSim
import DocumentModel

/// An error the endpoint answers with: AWS's code and message, and the HTTP status when
/// the wire layer knows it better than the model (authentication, routing, bodies).
struct WireFault: Error, Equatable {
    let code: String
    let message: String
    let fields: [String: Document]
    let status: Int?

    init(_ code: String, _ message: String, status: Int? = nil, fields: [String: Document] = [:]) {
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields
    }

    init(_ error: AWSError) { self.init(error.code, error.message, fields: error.fields) }

    static func serialization(_ message: String) -> WireFault { WireFault("SerializationException", message, status: 400) }

    static func == (a: WireFault, b: WireFault) -> Bool { a.code == b.code && a.message == b.message && a.status == b.status }
}

/// The protocol families, as far as errors and authentication differ between them.
enum ProtocolFamily {
    /// awsJson1_0 and awsJson1_1 (DynamoDB, DynamoDB Streams, Kinesis, CloudWatch Logs, EventBridge).
    case json
    /// restJson1 (Lambda).
    case restJSON
    /// query, answered in XML (IAM, STS).
    case query

    init(_ wire: WireProtocol) {
        switch wire {
        case .json: self = .json
        case .restJSON: self = .restJSON
        default: self = .query
        }
    }

    /// The fault for a signature that does not authenticate, with the code this protocol's
    /// services use (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html,
    /// https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
    func fault(_ failure: SignatureFailure) -> WireFault {
        let query = self == .query
        let status = self == .json ? 400 : 403
        let mismatchText = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
        switch failure {
        case .missing:
            return WireFault(query ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException", "Missing Authentication Token", status: 403)
        case .malformed(let why):
            return WireFault(query ? "IncompleteSignature" : "IncompleteSignatureException", why, status: status)
        case .unknownAccessKey:
            return WireFault(query ? "InvalidClientTokenId" : "UnrecognizedClientException", "The security token included in the request is invalid.", status: status)
        case .mismatch:
            return WireFault(query ? "SignatureDoesNotMatch" : "InvalidSignatureException", mismatchText, status: status)
        case .expired(let message):
            return WireFault(query ? "SignatureDoesNotMatch" : "InvalidSignatureException", message, status: status)
        case .wrongRegion(let region):
            return WireFault(
                query ? "SignatureDoesNotMatch" : "InvalidSignatureException",
                "Credential should be scoped to a valid region, not '\(region)'.", status: status)
        }
    }
}
