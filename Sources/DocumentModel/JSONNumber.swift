/// A JSON number's value read straight from its bytes, in the shapes that are most of the
/// numbers a lab's messages carry; nil for any other text, which the reader then parses
/// through `Int64(_:)` and `Double(_:)` as before.
///
/// - `-?digits` with at most 18 significant digits: the integer itself.
/// - `-?digits.digits` and either with `[eE][+-]?digits`, at most 15 significant digits in
///   all and a power of ten from -22 to 22: the digits and the power are both exact
///   doubles, so one multiplication or division rounds the value correctly (Clinger's fast
///   path), which is what `Double(_:)` returns for the same text.
@usableFromInline enum JSONNumber {
    case int(Int64)
    case double(Double)

    /// 10^0 … 10^22, each exact as a double.
    @usableFromInline static let powers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    @usableFromInline init?(_ text: UnsafeBufferPointer<UInt8>) {
        let n = text.count
        var i = 0
        let negative = i < n && text[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var digits = 0
        func digit(_ c: UInt8) -> UInt64? { (48...57).contains(c) ? UInt64(c - 48) : nil }
        // Leading zeros are not significant; every digit after the first nonzero one is.
        while i < n, let d = digit(text[i]) {
            if mantissa != 0 || d != 0 { significant += 1 }
            guard significant <= 18 else { return nil }
            mantissa = mantissa * 10 + d
            digits += 1
            i += 1
        }
        guard digits > 0 else { return nil }
        if i == n {
            self = .int(negative ? -Int64(mantissa) : Int64(mantissa))
            return
        }
        var exponent = 0
        if text[i] == UInt8(ascii: ".") {
            i += 1
            var fraction = 0
            while i < n, let d = digit(text[i]) {
                if mantissa != 0 || d != 0 { significant += 1 }
                guard significant <= 15 else { return nil }
                mantissa = mantissa * 10 + d
                exponent -= 1
                fraction += 1
                i += 1
            }
            guard fraction > 0 else { return nil }
        }
        guard significant <= 15 else { return nil }
        if i < n, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            var sign = 1
            if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                if text[i] == UInt8(ascii: "-") { sign = -1 }
                i += 1
            }
            var power = 0
            var powerDigits = 0
            while i < n, let d = digit(text[i]) {
                guard power < 1000 else { return nil }
                power = power * 10 + Int(d)
                powerDigits += 1
                i += 1
            }
            guard powerDigits > 0 else { return nil }
            exponent += sign * power
        }
        guard i == n else { return nil }
        var value = Double(mantissa)
        if mantissa != 0 {
            guard (-22...22).contains(exponent) else { return nil }
            value = exponent >= 0 ? value * Self.powers[exponent] : value / Self.powers[-exponent]
        }
        self = .double(negative ? -value : value)
    }
}
