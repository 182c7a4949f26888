import Foundation

/// A DynamoDB number: a decimal of up to 38 significant digits, exact in arithmetic.
///
/// Backed by Foundation's `Decimal`, whose 128-bit mantissa holds 38 digits exactly.
/// Its exponent stops at 10^-128 where DynamoDB's stops at 10^-130 (see docs/fidelity.md).
/// The canonical text is kept beside the value: every item read, stream record and
/// response shows numbers as text, and `Decimal`'s formatting is slow.
public struct DynamoNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let decimal: Decimal
    /// The canonical text: no leading or trailing zeros, no exponent.
    public let description: String

    /// Parses the text form DynamoDB accepts (`"12"`, `"-1.50"`, `"3e5"`).
    /// - Throws: ``AWSError`` ValidationException for text that is not a number, more than 38
    ///   significant digits, or a magnitude out of range.
    public init(_ text: String) throws(AWSError) {
        (decimal, description) = try Self.parse(text)
    }

    /// Wraps a decimal computed from other numbers, checking DynamoDB's limits.
    public init(decimal: Decimal) throws(AWSError) {
        try Self.checkRange(decimal)
        self.decimal = decimal
        description = decimal.description
    }

    public init(_ value: Int) {
        decimal = Decimal(value)
        description = String(value)
    }

    public static func == (a: DynamoNumber, b: DynamoNumber) -> Bool { a.decimal == b.decimal }
    public func hash(into hasher: inout Hasher) { hasher.combine(decimal) }

    public static func < (a: DynamoNumber, b: DynamoNumber) -> Bool { a.decimal < b.decimal }

    /// Exact sum. - Throws: ValidationException when the result needs more than 38 digits.
    public static func adding(_ a: DynamoNumber, _ b: DynamoNumber) throws(AWSError) -> DynamoNumber {
        try combine(a, b, subtract: false)
    }

    /// Exact difference. - Throws: ValidationException when the result needs more than 38 digits.
    public static func subtracting(_ a: DynamoNumber, _ b: DynamoNumber) throws(AWSError) -> DynamoNumber {
        try combine(a, b, subtract: true)
    }

    private static func combine(_ a: DynamoNumber, _ b: DynamoNumber, subtract: Bool) throws(AWSError) -> DynamoNumber {
        var left = a.decimal
        var right = b.decimal
        var result = Decimal()
        let status =
            subtract
            ? NSDecimalSubtract(&result, &left, &right, .plain) : NSDecimalAdd(&result, &left, &right, .plain)
        guard status == .noError else {
            throw AWSError.validation(
                "Number overflow. Attempting to store a number with magnitude larger than supported range")
        }
        // Foundation rounds quietly past 38 digits; DynamoDB refuses instead.
        if result.significand.magnitude >= Self.tenTo38, significantDigits(of: result) > 38 {
            throw AWSError.validation("Attempting to store more than 38 significant digits in a Number")
        }
        return try DynamoNumber(decimal: result)
    }

    private static let tenTo38 = Decimal(sign: .plus, exponent: 38, significand: 1)
    private static let overflowBound = Decimal(sign: .plus, exponent: 126, significand: 1)
    private static let underflowBound = Decimal(sign: .plus, exponent: -128, significand: 1)

    static func significantDigits(of value: Decimal) -> Int {
        var digits = value.description.filter(\.isNumber)
        while digits.hasPrefix("0") { digits.removeFirst() }
        while digits.hasSuffix("0") { digits.removeLast() }
        return digits.count
    }

    private static func checkRange(_ value: Decimal) throws(AWSError) {
        guard value.isFinite else { throw AWSError.validation("The parameter cannot be converted to a numeric value") }
        if value.isZero { return }
        let magnitude = value.magnitude
        if magnitude >= overflowBound {
            throw AWSError.validation(
                "Number overflow. Attempting to store a number with magnitude larger than supported range")
        }
        if magnitude < underflowBound {
            throw AWSError.validation(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range")
        }
    }

    private static func parse(_ text: String) throws(AWSError) -> (Decimal, String) {
        if let plain = parsePlain(text) { return (plain, text) }
        let bytes = Array(text.utf8)
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        let integerStart = i
        var integerEnd = -1
        var digits: [UInt8] = []
        var pointShift = 0
        var sawPoint = false
        var sawDigit = false
        while i < bytes.count {
            let c = bytes[i]
            if c >= 48, c <= 57 {
                sawDigit = true
                if !(digits.isEmpty && c == 48) { digits.append(c - 48) }
                if sawPoint { pointShift -= 1 }
            } else if c == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
                integerEnd = i
            } else {
                break
            }
            i += 1
        }
        if integerEnd < 0 { integerEnd = i }
        // Text already in canonical form — the usual case — is kept as it is: no sign but
        // '-', no exponent, no leading zero but the one before a point, no trailing zero
        // or point after it.
        let plainText =
            i == bytes.count && bytes.first != UInt8(ascii: "+") && integerEnd > integerStart
            && (bytes[integerStart] != UInt8(ascii: "0") || (integerEnd - integerStart == 1 && sawPoint))
            && (!sawPoint || (bytes[bytes.count - 1] != UInt8(ascii: "0") && bytes[bytes.count - 1] != UInt8(ascii: ".")))
        var exponent = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            let start = i
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57, i - start < 6 {
                exponent = exponent * 10 + Int(bytes[i] - 48)
                i += 1
            }
            if i == start { i = -1 }
            if expNegative { exponent = -exponent }
        }
        guard sawDigit, i == bytes.count else {
            throw AWSError.validation("The parameter cannot be converted to a numeric value: \(text)")
        }
        // digits holds the significant part without leading zeros; count trailing zeros.
        while let last = digits.last, last == 0 {
            digits.removeLast()
            pointShift += 1
        }
        if digits.isEmpty { return (Decimal(0), "0") }
        guard digits.count <= 38 else {
            throw AWSError.validation("Attempting to store more than 38 significant digits in a Number")
        }
        let scale = exponent + pointShift
        let leading = scale + digits.count - 1
        if leading > 125 {
            throw AWSError.validation(
                "Number overflow. Attempting to store a number with magnitude larger than supported range")
        }
        if leading < -130 || scale < -128 {
            throw AWSError.validation(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range")
        }
        let canonical = plainText ? text : canonicalText(negative: negative, digits: digits, scale: scale)
        var result: Decimal
        if digits.count <= 18 {
            var mantissa: UInt64 = 0
            for d in digits { mantissa = mantissa * 10 + UInt64(d) }
            result = Decimal(sign: negative ? .minus : .plus, exponent: scale, significand: Decimal(mantissa))
        } else {
            let body = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
            guard let parsed = Decimal(string: (negative ? "-" : "") + body + "e\(scale)") else {
                throw AWSError.validation("The parameter cannot be converted to a numeric value: \(text)")
            }
            result = parsed
        }
        return (result, canonical)
    }

    /// The usual number, read in one pass without allocating: canonical text (see `parse`)
    /// of at most 18 significant digits and 38 decimals, no exponent. Nil sends any other
    /// text to the full parser, which gives the same value for these.
    private static func parsePlain(_ text: String) -> Decimal? {
        var mantissa: UInt64 = 0
        var significant = 0
        var decimals = 0
        var negative = false
        var sawPoint = false
        var integerDigits = 0
        var first = true
        var leadingZero = false
        var last: UInt8 = 0
        for c in text.utf8 {
            defer {
                first = false
                last = c
            }
            if c == UInt8(ascii: "-"), first {
                negative = true
                continue
            }
            if c == UInt8(ascii: "."), !sawPoint, integerDigits > 0 {
                sawPoint = true
                continue
            }
            guard c >= 48, c <= 57 else { return nil }
            if sawPoint {
                decimals += 1
            } else {
                // A leading zero is canonical only alone or before the point.
                if leadingZero { return nil }
                if integerDigits == 0, c == 48 { leadingZero = true }
                integerDigits += 1
            }
            if mantissa == 0, c == 48 { continue }
            significant += 1
            mantissa = mantissa &* 10 &+ UInt64(c - 48)
        }
        guard integerDigits > 0, significant <= 18, decimals <= 38 else { return nil }
        if sawPoint, last == UInt8(ascii: "0") || last == UInt8(ascii: ".") { return nil }
        if mantissa == 0 { return negative || sawPoint ? nil : Decimal(0) }
        var scale = -decimals
        while mantissa % 10 == 0 {
            mantissa /= 10
            scale += 1
        }
        return Decimal(sign: negative ? .minus : .plus, exponent: scale, significand: Decimal(mantissa))
    }

    /// The text of `±digits × 10^scale` without exponent, as `Decimal` writes it
    /// (`digits` has no leading or trailing zeros and is not empty).
    private static func canonicalText(negative: Bool, digits: [UInt8], scale: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + abs(scale) + 3)
        if negative { out.append(UInt8(ascii: "-")) }
        let ascii = digits.lazy.map { $0 + 48 }
        if scale >= 0 {
            out.append(contentsOf: ascii)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale))
        } else if -scale >= digits.count {
            out.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")])
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -scale - digits.count))
            out.append(contentsOf: ascii)
        } else {
            let point = digits.count + scale
            out.append(contentsOf: ascii.prefix(point))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: ascii.dropFirst(point))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
