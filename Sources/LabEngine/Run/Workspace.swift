import Foundation

/// `labengine init`: a learner's folder with `actions.lua` and the function code to edit.
public enum Workspace {
    /// Writes the workspace; refuses a folder that already holds an `actions.lua`.
    /// - Returns: the files written, relative to `directory`.
    public static func create(for lab: Lab, in directory: String) throws -> [String] {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: directory)
        if fm.fileExists(atPath: root.appendingPathComponent("actions.lua").path) {
            throw LabError(file: root.appendingPathComponent("actions.lua").path, message: "already exists; choose an empty folder")
        }
        try fm.createDirectory(at: root.appendingPathComponent("functions"), withIntermediateDirectories: true)
        var written: [String] = []
        var copied = Set<String>()
        for name in lab.functions.keys.sorted() {
            guard let relative = lab.functions[name] else { continue }
            let source = URL(fileURLWithPath: lab.directory).appendingPathComponent(relative).standardizedFileURL
            // Copy the function's folder's Lua modules too: the code may require them.
            let folder = source.deletingLastPathComponent()
            for file in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where file.hasSuffix(".lua") && !copied.contains(file) {
                copied.insert(file)
                let target = root.appendingPathComponent("functions").appendingPathComponent(file)
                try fm.copyItem(at: folder.appendingPathComponent(file), to: target)
                written.append("functions/\(file)")
            }
        }
        var actions = """
            -- Actions for \(lab.id): \(lab.title)
            -- This file runs as the account's administrator. Every service is aws.<service>.<operation>{...}
            -- with boto3's operation names and the AWS API's parameter names; errors carry .code and .message.
            -- Run it:   labengine run \(lab.id) --actions \(directory)/actions.lua
            -- Grade it: labengine grade \(lab.id) --actions \(directory)/actions.lua

            """
        // The steps, not their answers: hints come a level at a time from `labengine hint`.
        for (index, step) in lab.steps.enumerated() {
            actions += "\n-- Step \(index + 1): \(step.title)\n"
            actions += "--   instructions: labengine show \(lab.id) \(step.id)\n"
            if !step.hints.isEmpty { actions += "--   stuck? labengine hint \(lab.id) \(step.id) --workspace \(directory)\n" }
        }
        actions += "\n-- Function code you change is uploaded like this (paths are relative to this file):\n"
        for name in lab.functions.keys.sorted() {
            let file = URL(fileURLWithPath: lab.functions[name] ?? "").lastPathComponent
            actions += "-- aws.lambda.update_function_code{ FunctionName = \"\(name)\", SourceFile = \"functions/\(file)\" }\n"
        }
        try actions.write(to: root.appendingPathComponent("actions.lua"), atomically: true, encoding: .utf8)
        try HintProgress().save(to: directory)
        return ["actions.lua"] + written
    }
}
