import DocumentModel

/// An error the engine raises into scripts, with a code like AWS's.
struct EngineError: CodedError {
    let code: String
    let message: String
}
