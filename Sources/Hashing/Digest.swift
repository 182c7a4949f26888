import CCrypto

/// The hash functions labengine needs (Kinesis's MD5 of partition keys, Lambda's code
/// SHA-256, Signature Version 4's SHA-256 and HMAC-SHA256, the `hashlib` of Lua code),
/// computed by the system's libcrypto.
public enum Digest {
    // Fetched once: `EVP_md5()` hands EVP_Digest a legacy method that OpenSSL 3 fetches from
    // its provider again on every call (5,000 instructions for a Kinesis partition key's
    // MD5; 1 % of a lab's run, measured). A fetched method is immutable and shared by threads.
    nonisolated(unsafe) private static let md5Method = EVP_MD_fetch(nil, "MD5", nil)
    nonisolated(unsafe) private static let sha256Method = EVP_MD_fetch(nil, "SHA256", nil)

    /// The MD5 digest of `bytes` (16 bytes).
    public static func md5(_ bytes: some Collection<UInt8>) -> [UInt8] { evp(md5Method ?? EVP_md5(), bytes, size: 16) }

    /// The SHA-256 digest of `bytes` (32 bytes).
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] { evp(sha256Method ?? EVP_sha256(), bytes, size: 32) }

    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func hmacSHA256(key: some Collection<UInt8>, _ message: some Collection<UInt8>) -> [UInt8] {
        let key = Array(key)
        let message = Array(message)
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                // One-shot HMAC: OpenSSL 3 keeps it; only the HMAC_CTX API is deprecated.
                _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, &out, &length)
            }
        }
        return out
    }

    /// Lower-case hexadecimal, as `hexdigest()` and SigV4 write digests.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func evp(_ type: OpaquePointer?, _ bytes: some Collection<UInt8>, size: Int) -> [UInt8] {
        let input = Array(bytes)
        var out = [UInt8](repeating: 0, count: size)
        var length: UInt32 = 0
        input.withUnsafeBufferPointer { b in
            // EVP_Digest fails only on allocation failure; the zeroed output then never matches anything.
            _ = EVP_Digest(b.baseAddress, b.count, &out, &length, type, nil)
        }
        return out
    }
}
