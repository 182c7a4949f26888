import Foundation

/// Which hint levels a learner has seen, kept in their workspace (`.labengine/hints.json`)
/// so that `labengine hint` shows the next level each time, as a tutor would.
public struct HintProgress: Codable, Equatable {
    struct Entry: Codable, Equatable {
        var hint: String
        var shown: Int
    }

    /// The step that was the first one not done in the last run.
    public private(set) var current: String?
    private var steps: [String: Entry] = [:]

    public init() {}

    static func file(in workspace: String) -> URL {
        URL(fileURLWithPath: workspace).appendingPathComponent(".labengine").appendingPathComponent("hints.json")
    }

    /// Whether `workspace` is a learner's workspace (`labengine init` made it): only there
    /// does `run` remember hints, never beside a lab's own files.
    public static func isWorkspace(_ workspace: String) -> Bool {
        FileManager.default.fileExists(atPath: file(in: workspace).deletingLastPathComponent().path)
    }

    /// The progress kept in `workspace`, or none yet.
    public static func load(from workspace: String) -> HintProgress {
        guard let data = FileManager.default.contents(atPath: file(in: workspace).path),
            let progress = try? JSONDecoder().decode(HintProgress.self, from: data)
        else { return HintProgress() }
        return progress
    }

    /// - Throws: when the workspace cannot be written.
    public func save(to workspace: String) throws {
        let url = Self.file(in: workspace)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// Remembers a run: its first open step and the hint that fits it. A different hint
    /// starts again at its first level; the same hint keeps the levels already shown.
    public mutating func record(_ result: RunResult) {
        guard let open = result.steps.first(where: { !$0.passed }), let hint = result.hint else {
            current = nil
            return
        }
        current = open.id
        if steps[open.id]?.hint != hint.name { steps[open.id] = Entry(hint: hint.name, shown: 1) }
    }

    /// The levels to show for `step` now (one more than before), and whether that was the last.
    public mutating func reveal(_ step: Step) -> (hint: Hint, levels: ArraySlice<String>, last: Bool)? {
        let entry = steps[step.id]
        guard let hint = step.hint(named: entry?.hint) ?? step.hints.first else { return nil }
        let shown = min((entry?.hint == hint.name ? entry?.shown ?? 0 : 0) + 1, hint.levels.count)
        steps[step.id] = Entry(hint: hint.name, shown: shown)
        return (hint, hint.levels.prefix(shown), shown == hint.levels.count)
    }
}
