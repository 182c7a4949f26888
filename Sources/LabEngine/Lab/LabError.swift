import LuaBridge

/// A problem with a lab, a plugin or a learner's file, named by file and line.
public struct LabError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file the problem is in, when there is one.
    public let file: String?
    /// The line in ``file``, when known.
    public let line: Int?
    /// What is wrong, as one sentence.
    public let message: String

    public init(file: String?, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// Wraps a Lua failure, keeping its place.
    public init(_ error: LuaError, file fallback: String? = nil) {
        self.file = error.chunk ?? fallback
        self.line = error.line
        self.message = error.message
    }

    /// `file:line: message`.
    public var description: String {
        switch (file, line) {
        case let (f?, l?): return "\(f):\(l): \(message)"
        case let (f?, nil): return "\(f): \(message)"
        default: return message
        }
    }
}
