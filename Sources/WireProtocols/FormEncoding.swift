/// `application/x-www-form-urlencoded` and RFC 3986 percent-encoding, as the query
/// protocol and SigV4 use them.
package enum FormEncoding {
    /// The pairs of `a=1&b=2`, decoded. A pair without `=` has an empty value.
    package static func pairs(_ text: String) -> [(String, String)] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0], plusIsSpace: true), parts.count > 1 ? decode(parts[1], plusIsSpace: true) : "")
        }
    }

    /// Percent-decodes; malformed escapes stay as they are (AWS does not reject them either).
    static func decode(_ text: Substring, plusIsSpace: Bool) -> String {
        var out: [UInt8] = []
        let b = Array(text.utf8)
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 37, i + 2 < b.count, let h = hexValue(b[i + 1]), let l = hexValue(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
                continue
            }
            out.append(plusIsSpace && c == 43 ? 32 : c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-encodes every byte but RFC 3986's unreserved ones (and `/` when `keepSlash`).
    static func encode(_ text: some StringProtocol, keepSlash: Bool = false) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for c in text.utf8 {
            let unreserved = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 45 || c == 46 || c == 95 || c == 126
            if unreserved || (keepSlash && c == 47) {
                out.append(c)
            } else {
                out += [37, digits[Int(c >> 4)], digits[Int(c & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }
}
