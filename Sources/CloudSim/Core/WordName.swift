/// The name rule several services share (SQS queue names and batch entry IDs, SNS topic
/// names and batch entry IDs): 1 to `maxLength` characters, each an ASCII letter, digit,
/// hyphen or underscore.
enum WordName {
    static func isValid(_ text: String, maxLength: Int) -> Bool {
        (1...maxLength).contains(text.utf8.count)
            && text.utf8.allSatisfy { c in (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F }
    }
}
