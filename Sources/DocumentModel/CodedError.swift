/// An error with a machine-readable code and a human message, the way AWS reports
/// faults. Scripts see it as a table `{ code = …, message = … }` plus ``fields``.
public protocol CodedError: Error {
    /// The error code, e.g. `ConditionalCheckFailedException`.
    var code: String { get }
    /// The message, in AWS's wording where AWS has one.
    var message: String { get }
    /// Extra fields of the error value (e.g. `CancellationReasons`).
    var fields: [String: Document] { get }
}

extension CodedError {
    public var fields: [String: Document] { [:] }
}
