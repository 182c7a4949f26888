import DocumentModel
import Foundation
import LabEngine

/// `grade LAB --submissions DIR`: every folder in DIR is one learner's submission (its
/// actions file, or the folder `--exec` commands run in). Each is graded under each seed, on
/// as many threads as `--jobs`, and gets a report; a summary lists them all.
struct SubmissionGrader {
    let labID: String
    let labsDirectory: String
    let pluginsDirectory: String?
    /// The actions file in each submission folder (without `--exec`).
    let entry: String
    let exec: [String]
    let execTimeout: Double
    let seeds: [UInt64]
    let minutes: Int?
    let parallel: ParallelOptions
    let shard: Shard
    let reports: String
    let format: Labengine.Grade.Format

    /// Part K of N of a sorted list: the submissions whose place modulo N is K - 1.
    struct Shard: Sendable {
        let index: Int
        let count: Int

        static let whole = Shard(index: 1, count: 1)

        /// `K/N`, 1 ≤ K ≤ N.
        init?(_ text: String) {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else { return nil }
            self.init(index: k, count: n)
        }

        init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }

        func take<T>(_ items: [T]) -> [T] { items.enumerated().filter { $0.offset % count == index - 1 }.map(\.element) }
    }

    /// One submission under one seed.
    struct Row: Sendable {
        let submission: String
        let seed: UInt64
        let score: Int
        let maxScore: Int
        let passed: Bool
        /// The first step that did not pass, if one did not.
        let failingStep: String?
        /// Why the submission could not be graded, or where its actions stopped.
        let error: String?
        let report: String?
    }

    /// The submission folders of DIR, sorted, then this shard's part of them.
    static func submissions(in directory: String, shard: Shard) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: "\(directory)/\(name)", isDirectory: &isDirectory) && isDirectory.boolValue
        }
        return shard.take(names.sorted())
    }

    /// Grades every submission of this shard, printing a line for each as it is done.
    /// - Returns: the rows, in submission and seed order.
    func grade(_ directory: String) throws -> [Row] {
        let names = try Self.submissions(in: directory, shard: shard)
        let base = URL(fileURLWithPath: directory).standardizedFileURL.path
        let pairs = names.flatMap { name in seeds.map { (name, $0) } }
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        let job = self
        let rows = Parallel.run(pairs.count, jobs: parallel.jobs, memory: parallel.budget, { index in
            job.grade(pairs[index].0, folder: "\(base)/\(pairs[index].0)", seed: pairs[index].1)
        }, finished: { _, row in
            let outcome = row.error.map { "ERROR \($0)" } ?? (row.passed ? "PASSED" : "NOT PASSED" + (row.failingStep.map { " (\($0))" } ?? ""))
            print("\(row.submission)\tseed \(row.seed)\t\(row.score)/\(row.maxScore)\t\(outcome)")
        })
        for row in rows {
            guard let report = row.report else { continue }
            let name = seeds.count > 1 ? "\(row.submission)-seed\(row.seed)" : row.submission
            try Data(report.utf8).write(to: URL(fileURLWithPath: "\(reports)/\(name).\(format.fileExtension)"))
        }
        let suffix = shard.count > 1 ? "-\(shard.index)-of-\(shard.count)" : ""
        try Data(Self.csv(rows).utf8).write(to: URL(fileURLWithPath: "\(reports)/summary\(suffix).csv"))
        try Data(((try Self.json(rows).prettyJSONText()) + "\n").utf8).write(to: URL(fileURLWithPath: "\(reports)/summary\(suffix).json"))
        return rows
    }

    /// One submission under one seed, with a lab of its own (its own Lua states).
    private func grade(_ name: String, folder: String, seed: UInt64) -> Row {
        func failed(_ message: String) -> Row {
            Row(submission: name, seed: seed, score: 0, maxScore: 0, passed: false, failingStep: nil, error: message, report: nil)
        }
        let steps: [LearnerStep]
        if exec.isEmpty {
            let file = "\(folder)/\(entry)"
            guard FileManager.default.fileExists(atPath: file) else { return failed("no \(entry) in the submission") }
            steps = [.actions(file)]
        } else {
            steps = exec.map { .command($0, directory: folder) }
        }
        do {
            let lab = try LabLoader(catalog: LabCatalog(directory: labsDirectory, pluginsDirectory: pluginsDirectory)).load(labID)
            let runner = LabRunner(lab: lab, commands: exec.isEmpty ? nil : CommandRunner(timeout: execTimeout, shown: nil), printed: { _ in })
            let result = try runner.run(actions: .learner(solvedSteps: 0, steps), seed: seed, minutes: minutes)
            let report = GradeReport(result: result)
            return Row(
                submission: name, seed: seed, score: result.score, maxScore: result.maxScore, passed: result.passed,
                failingStep: result.steps.first { !$0.passed }?.id, error: result.actionError?.description ?? result.stop?.message ?? Self.commandFailure(result.commands),
                report: report.rendered(format))
        } catch {
            return failed("\(error)")
        }
    }

    /// "'CMD' exited with N" for the first command that did not succeed.
    static func commandFailure(_ commands: [CommandOutcome]) -> String? {
        commands.first { $0.exitStatus != 0 }.map { "'\($0.command)' \($0.timedOut ? "timed out" : "exited with \($0.exitStatus)")" }
    }

    static func csv(_ rows: [Row]) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var out = "submission,seed,score,maxScore,passed,failingStep,error\n"
        for row in rows {
            out += [row.submission, String(row.seed), String(row.score), String(row.maxScore), String(row.passed), row.failingStep ?? "", row.error ?? ""]
                .map(field).joined(separator: ",") + "\n"
        }
        return out
    }

    static func json(_ rows: [Row]) -> Document {
        .array(rows.map { row in
            [
                "submission": .string(row.submission), "seed": .int(Int64(bitPattern: row.seed)), "score": .int(Int64(row.score)),
                "maxScore": .int(Int64(row.maxScore)), "passed": .bool(row.passed),
                "failingStep": row.failingStep.map { .string($0) } ?? .null, "error": row.error.map { .string($0) } ?? .null,
            ]
        })
    }
}
