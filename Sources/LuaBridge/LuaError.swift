import DocumentModel

/// A failure of Lua code: loading it, running it, or one of the sandbox's limits.
public struct LuaError: Error, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable {
        /// The chunk did not compile.
        case syntax
        /// The code raised an error (or called a host function that threw, see ``hostError``).
        case runtime
        /// The call ran more instructions than its budget.
        case instructionLimit
        /// The state would have grown past its memory cap.
        case memoryLimit
        /// A value could not cross between Lua and Swift.
        case conversion
    }

    public let kind: Kind
    /// The message without the `chunk:line:` prefix.
    public let message: String
    /// The chunk name as the script's author knows it (a file path), when known.
    public let chunk: String?
    /// The line in ``chunk``, when known.
    public let line: Int?
    /// Lua's traceback at the point of the error, when one was taken.
    public let traceback: String?
    /// The Swift error a host function threw, when the script did not catch it.
    public let hostError: (any Error)?
    /// The error value as the script raised it (e.g. `{code=…, message=…}`), when it was data.
    public let value: Document?

    public init(
        kind: Kind, message: String, chunk: String? = nil, line: Int? = nil, traceback: String? = nil,
        hostError: (any Error)? = nil, value: Document? = nil
    ) {
        self.kind = kind
        self.message = message
        self.chunk = chunk
        self.line = line
        self.traceback = traceback
        self.hostError = hostError
        self.value = value
    }

    /// `file:line: message`, or just the message when the place is unknown.
    public var description: String {
        switch (chunk, line) {
        case let (c?, l?): return "\(c):\(l): \(message)"
        case let (c?, nil): return "\(c): \(message)"
        default: return message
        }
    }

    /// The code of a coded error value (`err.code`), when the script raised one.
    public var code: String? {
        if let coded = hostError as? any CodedError { return coded.code }
        return value?["code"]?.stringValue
    }
}

extension LuaError {
    /// Splits Lua's `chunk:line: message` prefix off a message.
    static func split(_ text: String) -> (chunk: String?, line: Int?, message: String) {
        // Lua formats positions as "<short_src>:<line>: "; short_src has no ": " in it.
        let scalars = Array(text.utf8)
        var i = 0
        while i + 1 < scalars.count, !(scalars[i] == UInt8(ascii: ":") && scalars[i + 1] == UInt8(ascii: " ")) { i += 1 }
        guard i + 1 < scalars.count else { return (nil, nil, text) }
        let head = String(decoding: scalars[..<i], as: UTF8.self)
        let rest = String(decoding: scalars[(i + 2)...], as: UTF8.self)
        guard let colon = head.lastIndex(of: ":"), let line = Int(head[head.index(after: colon)...]) else {
            return (nil, nil, text)
        }
        return (String(head[..<colon]), line, rest)
    }
}
