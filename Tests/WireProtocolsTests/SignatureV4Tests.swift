import Testing

@testable import WireProtocols

/// AWS's own example of a signed request (IAM ListUsers, 2015-08-30), from "Create a signed
/// AWS API request" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
/// the canonical request hashes to f536975d… and the signature is 5d672d79….
@Suite struct SignatureV4Tests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let signedAt = 1_440_938_160.0  // 2015-08-30T12:36:00Z

    static func example(signature: String = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", key: String = "AKIDEXAMPLE") -> WireRequest {
        WireRequest(
            method: "GET", target: "/?Action=ListUsers&Version=2010-05-08",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Host", "iam.amazonaws.com"),
                ("X-Amz-Date", "20150830T123600Z"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=\(key)/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=\(signature)"),
            ],
            body: [])
    }

    func verify(_ request: WireRequest, now: Double = signedAt, region: String = "us-east-1") throws(SignatureFailure) -> String {
        try SignatureV4.verify(request, region: region, now: now) { $0 == "AKIDEXAMPLE" ? Self.secret : nil }
    }

    @Test func theDocumentedExampleVerifies() throws {
        let request = Self.example()
        #expect(try verify(request) == "AKIDEXAMPLE")
        let canonical = SignatureV4.canonicalRequest(request, signedHeaders: ["content-type", "host", "x-amz-date"])
        #expect(Hashing.Digest.hex(Hashing.Digest.sha256(Array(canonical.utf8))) == "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59")
    }

    @Test func oneChangedByteIsAMismatch() {
        #expect(throws: SignatureFailure.mismatch) {
            try verify(Self.example(signature: "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d8"))
        }
        var tampered = Self.example()
        tampered.query = "Action=ListUsers&Version=2010-05-09"
        #expect(throws: SignatureFailure.mismatch) { try verify(tampered) }
    }

    @Test func anUnknownKeyIsRefusedBeforeAnyHMAC() {
        #expect(throws: SignatureFailure.unknownAccessKey) { try verify(Self.example(key: "AKIDOTHER")) }
    }

    @Test func aClockOffByMoreThanFifteenMinutesIsRefused() throws {
        #expect(try verify(Self.example(), now: Self.signedAt + 14 * 60) == "AKIDEXAMPLE")
        do {
            _ = try verify(Self.example(), now: Self.signedAt + 16 * 60)
            Issue.record("a signature 16 minutes old was accepted")
        } catch {
            guard case .expired(let message) = error else { return #expect(Bool(false), "\(error)") }
            #expect(message == "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)")
        }
        #expect(throws: (any Error).self) { try verify(Self.example(), now: Self.signedAt - 16 * 60) }
    }

    @Test func theScopeMustNameTheAccountsRegion() {
        #expect(throws: SignatureFailure.wrongRegion("us-east-1")) { try verify(Self.example(), region: "us-west-2") }
    }

    @Test func missingAndMalformedAuthorization() {
        var request = Self.example()
        request.headers.removeAll { $0.name == "Authorization" }
        #expect(throws: SignatureFailure.missing) { try verify(request) }
        request.headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE"))
        #expect(throws: (any Error).self) { try verify(request) }
        request.headers.removeAll { $0.name == "Authorization" }
        request.headers.append(("Authorization", "Basic dXNlcjpwYXNz"))
        #expect(throws: (any Error).self) { try verify(request) }
    }
}

import Hashing
