/// Text made safe for XML element content and attribute values (JUnit reports, the query
/// protocol's answers).
public enum XMLText {
    /// Escapes the five markup characters, writes line breaks as character references (so
    /// they survive in attributes too) and drops the other control characters, which XML 1.0
    /// cannot carry at all.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if c.value < 0x20 && c != "\t" { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
