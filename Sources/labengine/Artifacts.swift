import CloudSim
import DocumentModel
import Foundation
import LabEngine

/// `--artifacts DIR`: the report, each function's log, every table's items and the
/// per-minute results as CSV.
enum Artifacts {
    static func write(_ result: RunResult, to directory: String) throws {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: directory)
        try fm.createDirectory(at: root.appendingPathComponent("logs"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("tables"), withIntermediateDirectories: true)
        try GradeReport(result: result).json().write(to: root.appendingPathComponent("report.json"), atomically: true, encoding: .utf8)
        let account = result.world.account
        for (group, events) in account.logs.groups.sorted(by: { $0.key < $1.key }) {
            let name = group.split(separator: "/").last.map(String.init) ?? "log"
            let text = events.map { "\(String(format: "%.3f", $0.time.seconds))\t\($0.message)" }.joined(separator: "\n") + "\n"
            try text.write(to: root.appendingPathComponent("logs/\(name).log"), atomically: true, encoding: .utf8)
        }
        for name in account.dynamodb.tables.keys.sorted() {
            let items = (try? account.call("dynamodb", "Scan", ["TableName": .string(name)])["Items"]) ?? []
            try ((try? items.prettyJSONText()) ?? "[]").write(to: root.appendingPathComponent("tables/\(name).json"), atomically: true, encoding: .utf8)
        }
        for (i, command) in result.commands.enumerated() {
            let text = "$ \(command.command)\n\(command.output)\n(exit status \(command.exitStatus)\(command.timedOut ? ", timed out" : ""))\n"
            try fm.createDirectory(at: root.appendingPathComponent("commands"), withIntermediateDirectories: true)
            try text.write(to: root.appendingPathComponent("commands/\(i + 1).log"), atomically: true, encoding: .utf8)
        }
        let printed = result.world.actionsOutput.map { $0 + "\n" }.joined()
        try printed.write(to: root.appendingPathComponent("actions.log"), atomically: true, encoding: .utf8)
        var csv = "minute,points,score,exact,detail\n"
        for m in result.minutes {
            csv += "\(m.minute),\(m.points),\(m.score),\(m.exact),\"\(m.detail.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        try csv.write(to: root.appendingPathComponent("minutes.csv"), atomically: true, encoding: .utf8)
        var metrics = "function,invocations,errors,throttles,timeouts,max_concurrency,max_duration_ms,max_iterator_age_ms\n"
        for (name, m) in account.logs.metrics.sorted(by: { $0.key < $1.key }) {
            metrics += "\(name),\(m.invocations),\(m.errors),\(m.throttles),\(m.timeouts),\(m.maxConcurrentExecutions),\(m.maxDuration.milliseconds),\(m.maxIteratorAge.milliseconds)\n"
        }
        try metrics.write(to: root.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
    }
}
