/// A shape's min/max, shared by the quick validation pass and the walk that names errors.
extension Shape {
    /// Below the shape's minimum (a length or a value)?
    func isBelowMin(_ x: Double) -> Bool { min.map { x < $0 } ?? false }

    /// Above the shape's maximum?
    func isAboveMax(_ x: Double) -> Bool { max.map { x > $0 } ?? false }

    /// Within both bounds?
    func admits(_ x: Double) -> Bool { !isBelowMin(x) && !isAboveMax(x) }

    /// A string's length in characters where it could break the bounds; nil when there are
    /// none, or its UTF-8 size (1 to 4 bytes a character) already shows it within them, so
    /// that the characters of the usual value are never counted.
    func lengthToCheck(of s: String) -> Int? {
        guard min != nil || max != nil else { return nil }
        let bytes = s.utf8.count
        if !isAboveMax(Double(bytes)), !isBelowMin(Double((bytes + 3) / 4)) { return nil }
        return s.unicodeScalars.count
    }
}
