import CloudSim
import DocumentModel
import Foundation

/// A live session's record of one learner, as JSON lines: a header line, then one line per
/// changing request (`t` is the whole virtual seconds since the session started), then an
/// `end` line with the session's length when it stopped. `grade --transcript` replays it.
///
/// ```
/// {"transcript":1,"lab":"lab1","learner":"alice","account":"210987654321","seed":1,"minutes":60}
/// {"t":12,"service":"lambda","operation":"CreateEventSourceMapping","request":{…},"outcome":"ok"}
/// {"end":180}
/// ```
public struct Transcript: Equatable {
    public struct Entry: Equatable {
        /// Whole virtual seconds after the session started.
        public let seconds: Int
        public let service: String
        public let operation: String
        public let request: Document
        /// The error code the request got live, or nil when it succeeded.
        public let error: String?

        package init(seconds: Int, service: String, operation: String, request: Document, error: String?) {
            self.seconds = seconds
            self.service = service
            self.operation = operation
            self.request = request
            self.error = error
        }
    }

    public let lab: String
    public let learner: String
    public let account: String
    public let seed: UInt64
    /// The session's length in virtual minutes.
    public let minutes: Int
    public var entries: [Entry] = []
    /// Virtual seconds the session ran before it stopped, when it stopped cleanly.
    public var end: Int?

    public init(lab: String, learner: String, account: String, seed: UInt64, minutes: Int) {
        self.lab = lab
        self.learner = learner
        self.account = account
        self.seed = seed
        self.minutes = minutes
    }

    /// The header line.
    public var headerLine: String {
        Self.json([
            "transcript": 1, "lab": .string(lab), "learner": .string(learner), "account": .string(account),
            "seed": .int(Int64(bitPattern: seed)), "minutes": .int(Int64(minutes)),
        ])
    }

    /// One entry's line.
    public static func line(_ entry: Entry) -> String {
        json([
            "t": .int(Int64(entry.seconds)), "service": .string(entry.service), "operation": .string(entry.operation),
            "request": TaggedJSON.encode(entry.request), "outcome": entry.error.map { ["error": .string($0)] } ?? "ok",
        ])
    }

    /// The closing line.
    public static func endLine(_ seconds: Int) -> String { json(["end": .int(Int64(seconds))]) }

    /// The whole transcript as text.
    public var text: String {
        ([headerLine] + entries.map(Self.line) + (end.map { [Self.endLine($0)] } ?? [])).joined(separator: "\n") + "\n"
    }

    private static func json(_ value: Document) -> String {
        // Requests hold only what crossed the wire or left an actions file: no functions, no NaN.
        (try? value.jsonText()) ?? "{}"
    }

    /// Reads a transcript file.
    /// - Throws: ``TranscriptError`` naming the file and line of what is wrong.
    public static func read(file path: String) throws(TranscriptError) -> Transcript {
        guard let data = FileManager.default.contents(atPath: path) else { throw TranscriptError("cannot read the transcript", file: path) }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    static func parse(_ text: String, file: String) throws(TranscriptError) -> Transcript {
        var transcript: Transcript?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let lineText = raw.trimmingCharacters(in: .whitespaces)
            if lineText.isEmpty { continue }
            let value: Document
            do { value = try Document(jsonText: lineText) } catch { throw TranscriptError("not JSON: \(error.description)", file: file, line: number) }
            guard var current = transcript else {
                guard value["transcript"]?.intValue == 1, let lab = value["lab"]?.stringValue, let learner = value["learner"]?.stringValue,
                    let account = value["account"]?.stringValue, let seed = value["seed"]?.intValue, let minutes = value["minutes"]?.intValue, minutes > 0
                else {
                    throw TranscriptError(
                        "the first line must be the header {\"transcript\":1,\"lab\":…,\"learner\":…,\"account\":…,\"seed\":…,\"minutes\":…}",
                        file: file, line: number)
                }
                transcript = Transcript(lab: lab, learner: learner, account: account, seed: UInt64(bitPattern: seed), minutes: Int(minutes))
                continue
            }
            if current.end != nil { throw TranscriptError("a line after the end line", file: file, line: number) }
            if let end = value["end"] {
                guard let seconds = end.intValue, seconds >= (current.entries.last?.seconds ?? 0) else {
                    throw TranscriptError("'end' must be whole seconds, not before the last request", file: file, line: number)
                }
                current.end = Int(seconds)
            } else {
                guard let seconds = value["t"]?.intValue, seconds >= 0, let service = value["service"]?.stringValue,
                    let operation = value["operation"]?.stringValue, let request = value["request"]
                else { throw TranscriptError("a request line needs t (whole seconds), service, operation and request", file: file, line: number) }
                if seconds < current.entries.last?.seconds ?? 0 {
                    throw TranscriptError("t goes back in time (\(seconds) after \(current.entries.last?.seconds ?? 0))", file: file, line: number)
                }
                let decoded: Document
                do { decoded = try TaggedJSON.decode(request) } catch { throw TranscriptError(error.message, file: file, line: number) }
                current.entries.append(
                    Entry(seconds: Int(seconds), service: service, operation: operation, request: decoded, error: value["outcome"]?["error"]?.stringValue))
            }
            transcript = current
        }
        guard let transcript else { throw TranscriptError("the transcript is empty", file: file) }
        return transcript
    }
}

/// What is wrong with a transcript, by file and line.
public struct TranscriptError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public let file: String?
    public let line: Int?

    init(_ message: String, file: String? = nil, line: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String {
        [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":") + (file == nil ? "" : ": ") + message
    }
}
