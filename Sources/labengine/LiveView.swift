import CloudSim
import DocumentModel
import Foundation
import LabEngine

/// `run --watch`: AggregateTable as a tree (key, value, indented by level), the message
/// count and the message rate, redrawn as virtual time runs.
struct LiveView {
    private var history: [(seconds: Double, count: Decimal)] = []

    let screen = TerminalScreen()

    mutating func show(_ progress: VirtualTimeProgress) {
        let items = (try? progress.world.account.call("dynamodb", "Scan", ["TableName": "AggregateTable"])["Items"]?.arrayValue) ?? []
        var values: [String: String] = [:]
        for item in items {
            if let key = item["Identifier"]?["S"]?.stringValue, let value = item["Value"]?["N"]?.stringValue { values[key] = value }
        }
        let count = Decimal(string: values["message_count"] ?? "0") ?? 0
        history.append((progress.seconds, count))
        history.removeAll { progress.seconds - $0.seconds > 10 }
        var rate = 0.0
        if let first = history.first, progress.seconds > first.seconds {
            rate = NSDecimalNumber(decimal: count - first.count).doubleValue / (progress.seconds - first.seconds)
        }
        var lines = ["t=\(Int(progress.seconds))s  score \(progress.score)  messages \(count)  rate \(Int(rate.rounded()))/s", ""]
        let keys = values.keys.filter { $0 != "message_count" }.sorted { a, b in
            // Parents before children: PV, PV:FXSpot, PV:FXSpot:EMEA, …
            a.split(separator: ":").lexicographicallyPrecedes(b.split(separator: ":"))
        }
        for key in keys {
            let level = key.split(separator: ":").count - 1
            let name = key.split(separator: ":").last.map(String.init) ?? key
            let label = String(repeating: "  ", count: level) + name
            lines.append(label.padding(toLength: 28, withPad: " ", startingAt: 0) + Self.money(values[key] ?? ""))
        }
        if keys.isEmpty { lines.append("(AggregateTable is empty)") }
        screen.draw(lines)
    }

    /// An amount with exactly two decimals, rounded half away from zero, as money is shown
    /// (AggregateTable keeps sums of cents, with up to 38 digits: Decimal, not Double).
    static func money(_ number: String) -> String {
        guard var value = Decimal(string: number, locale: Locale(identifier: "en_US_POSIX")) else { return number }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let text = NSDecimalNumber(decimal: rounded).description(withLocale: Locale(identifier: "en_US_POSIX"))
        guard let dot = text.firstIndex(of: ".") else { return text + ".00" }
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        return decimals >= 2 ? text : text + String(repeating: "0", count: 2 - decimals)
    }
}
