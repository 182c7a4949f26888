import DocumentModel
import Hashing

/// The digests SQS returns so that clients can check what it stored.
enum SQSDigest {
    static func md5Hex(_ text: String) -> String { Digest.hex(Digest.md5(Array(text.utf8))) }

    /// `MD5OfMessageAttributes`: each attribute in name order as its name, data type, a
    /// transport byte (1 string, 2 binary) and its value, every part but the byte led by its
    /// length as 4 big-endian bytes
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation).
    static func attributesMD5(_ attributes: [String: Document]) -> String {
        var bytes: [UInt8] = []
        func part(_ data: [UInt8]) {
            let n = UInt32(data.count)
            bytes += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            bytes += data
        }
        for name in attributes.keys.sorted() {
            guard let value = attributes[name] else { continue }
            part(Array(name.utf8))
            part(Array((value["DataType"]?.stringValue ?? "").utf8))
            if let binary = value["BinaryValue"]?.bytesValue {
                bytes.append(2)
                part(binary)
            } else {
                bytes.append(1)
                part(Array((value["StringValue"]?.stringValue ?? "").utf8))
            }
        }
        return Digest.hex(Digest.md5(bytes))
    }
}
