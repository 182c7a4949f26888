import DocumentModel

/// A fault as AWS reports it: an error code, AWS's message, and any extra fields
/// (for example `CancellationReasons`).
public struct AWSError: CodedError, CustomStringConvertible, Equatable {
    public let code: String
    public let message: String
    public let fields: [String: Document]

    public init(_ code: String, _ message: String, fields: [String: Document] = [:]) {
        self.code = code
        self.message = message
        self.fields = fields
    }

    public var description: String { "\(code): \(message)" }

    /// A parameter that is missing or of the wrong shape.
    public static func validation(_ message: String) -> AWSError { AWSError("ValidationException", message) }
    /// A table, stream or function that does not exist.
    public static func notFound(_ message: String) -> AWSError { AWSError("ResourceNotFoundException", message) }
}
