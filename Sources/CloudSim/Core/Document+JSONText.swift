import DocumentModel

extension Document {
    /// The document's JSON for a message body or a policy, or `{}` if it held what JSON
    /// cannot (records and statements built here never do).
    var jsonTextOrEmpty: String { (try? jsonText()) ?? "{}" }
}
