/// Tokens of DynamoDB's expression language.
enum Token: Equatable {
    case identifier(String)
    case alias(String)  // #name
    case placeholder(String)  // :value
    case number(Int)
    case symbol(String)
    case end
}

/// Splits an expression into tokens, remembering where each starts for error messages.
struct ExpressionLexer {
    static func tokens(_ text: String, kind: String) throws(AWSError) -> [(Token, Int)] {
        let bytes = Array(text.utf8)
        var result: [(Token, Int)] = []
        var i = 0
        func isWord(_ c: UInt8) -> Bool {
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
        }
        while i < bytes.count {
            let c = bytes[i]
            let start = i
            if c == 32 || c == 9 || c == 10 || c == 13 {
                i += 1
                continue
            }
            if c == UInt8(ascii: "#") || c == UInt8(ascii: ":") {
                i += 1
                while i < bytes.count, isWord(bytes[i]) { i += 1 }
                guard i > start + 1 else { throw syntax(kind, text, token: String(UnicodeScalar(c))) }
                let word = String(decoding: bytes[start..<i], as: UTF8.self)
                result.append((c == UInt8(ascii: "#") ? .alias(word) : .placeholder(word), start))
                continue
            }
            if c >= 48 && c <= 57 {
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
                if i < bytes.count, isWord(bytes[i]) {
                    while i < bytes.count, isWord(bytes[i]) { i += 1 }
                    result.append((.identifier(String(decoding: bytes[start..<i], as: UTF8.self)), start))
                } else {
                    result.append((.number(Int(String(decoding: bytes[start..<i], as: UTF8.self)) ?? Int.max), start))
                }
                continue
            }
            if isWord(c) {
                while i < bytes.count, isWord(bytes[i]) { i += 1 }
                result.append((.identifier(String(decoding: bytes[start..<i], as: UTF8.self)), start))
                continue
            }
            let two = i + 1 < bytes.count ? String(decoding: bytes[i...i + 1], as: UTF8.self) : ""
            if ["<>", "<=", ">="].contains(two) {
                result.append((.symbol(two), start))
                i += 2
                continue
            }
            let one = String(UnicodeScalar(c))
            guard "()[],.=<>+-".contains(one) else { throw syntax(kind, text, token: one) }
            result.append((.symbol(one), start))
            i += 1
        }
        result.append((.end, bytes.count))
        return result
    }

    static func syntax(_ kind: String, _ text: String, token: String) -> AWSError {
        AWSError.validation("Invalid \(kind): Syntax error; token: \"\(token)\", near: \"\(text)\"")
    }
}
