import DocumentModel
import Foundation
@testable import LabEngine
import Testing

@Suite struct TranscriptTests {
    /// A replay must hand the account exactly what it got live: bytes stay bytes, a whole
    /// double stays a double, and keys that look like tags survive.
    @Test func taggedJSONRoundTripsWhatPlainJSONLoses() throws {
        let request: Document = [
            "ZipFile": .bytes([0, 255, 80, 75]), "Timestamp": .double(1_704_067_200), "Ratio": .double(0.25), "Count": 3,
            "ExpressionAttributeValues": [":v": ["N": "1"]], "$weird": ["$bytes": "not base64?"], "List": [.double(2), "x", .null, true],
        ]
        let text = try TaggedJSON.encode(request).jsonText()
        let back = try TaggedJSON.decode(try Document(jsonText: text))
        guard case .map(let m) = back else { Issue.record("not a map"); return }
        if case .bytes(let b)? = m["ZipFile"] { #expect(b == [0, 255, 80, 75]) } else { Issue.record("ZipFile is no longer bytes") }
        if case .double? = m["Timestamp"] {} else { Issue.record("Timestamp came back as \(String(describing: m["Timestamp"]))") }
        if case .int(3)? = m["Count"] {} else { Issue.record("Count came back as \(String(describing: m["Count"]))") }
        if case .double? = m["List"]?.arrayValue?.first {} else { Issue.record("a double in a list changed kind") }
        #expect(m["$weird"] == ["$bytes": "not base64?"])
        #expect(back == request)
    }

    @Test func aTranscriptRoundTripsThroughItsText() throws {
        var transcript = Transcript(lab: "tiny", learner: "alice", account: "123456789013", seed: 7, minutes: 2)
        transcript.entries = [
            .init(seconds: 0, service: "dynamodb", operation: "PutItem", request: ["TableName": "T"], error: nil),
            .init(seconds: 12, service: "lambda", operation: "DeleteFunction", request: ["FunctionName": "F"], error: "ResourceNotFoundException"),
        ]
        transcript.end = 90
        #expect(try Transcript.parse(transcript.text, file: "t.jsonl") == transcript)
    }

    /// Every bad line is named by file and line.
    @Test func badTranscriptsNameTheFileAndLine() {
        let header = #"{"transcript":1,"lab":"tiny","learner":"a","account":"123456789013","seed":1,"minutes":1}"#
        let cases: [(String, String)] = [
            ("", "t.jsonl: the transcript is empty"),
            (#"{"lab":"tiny"}"#, "t.jsonl:1: the first line must be the header"),
            (header + "\nnot json", "t.jsonl:2: not JSON"),
            (header + "\n" + #"{"t":5,"service":"dynamodb"}"#, "t.jsonl:2: a request line needs t (whole seconds), service, operation and request"),
            (header + "\n" + #"{"t":5,"service":"s","operation":"o","request":{}}"# + "\n" + #"{"t":4,"service":"s","operation":"o","request":{}}"#,
             "t.jsonl:3: t goes back in time (4 after 5)"),
            (header + "\n" + #"{"t":1,"service":"s","operation":"o","request":{"$bytes":7}}"#, "t.jsonl:2: $bytes holds no base64 text"),
            (header + "\n" + #"{"end":5}"# + "\n" + #"{"end":6}"#, "t.jsonl:3: a line after the end line"),
        ]
        for (text, expected) in cases {
            #expect(throws: TranscriptError.self) { try Transcript.parse(text, file: "t.jsonl") }
            do {
                _ = try Transcript.parse(text, file: "t.jsonl")
            } catch {
                #expect("\(error)".hasPrefix(expected), "\(error) does not start with \(expected)")
            }
        }
    }
}
