import Foundation
import Testing

/// What a learner sees: their prints, why the world did not run, failing functions, hints
/// in levels, and a look at the world before acting.
@Suite struct LearnerViewTests {
    /// A scratch folder with these files.
    func workspace(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("learner-\(UInt64.random(in: 0...UInt64.max))")
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test func runRemembersHintsOnlyInAWorkspaceInitMade() throws {
        let folder = try workspace(["actions.lua": "-- nothing yet\n"])
        _ = try CLIRunner.run(["run", "tiny", "--actions", folder.appendingPathComponent("actions.lua").path])
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".labengine").path), "a lab's own folder stays clean")
    }

    @Test func printInAnActionsFilePrintsWithItsFileAndLine() throws {
        let ws = try workspace(["actions.lua": "local n = 2\nprint('tables:', n)\n"])
        let artifacts = ws.appendingPathComponent("out")
        let result = try CLIRunner.run(["run", "tiny", "--actions", ws.appendingPathComponent("actions.lua").path, "--artifacts", artifacts.path])
        #expect(result.stdout.contains("\(ws.path)/actions.lua:2: tables:\t2"), "\(result.stdout)")
        let log = try String(contentsOf: artifacts.appendingPathComponent("actions.log"), encoding: .utf8)
        #expect(log == "\(ws.path)/actions.lua:2: tables:\t2\n")
    }

    @Test func whenTheActionsStopTheWorldDidNotRunAndNothingIsGraded() throws {
        let result = try CLIRunner.run(["run", "tiny", "--actions", "labs/tiny/tests/actions/broken.lua"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("your actions stopped with an error: labs/tiny/tests/actions/broken.lua:2:"), "\(result.stderr)")
        #expect(result.stdout.contains("The world did not run"))
        #expect(!result.stdout.contains("[ ]"), "no checklist of steps that were never checked: \(result.stdout)")
        #expect(!result.stdout.contains("minute 1"))
        let json = try CLIRunner.run(["grade", "tiny", "--actions", "labs/tiny/tests/actions/broken.lua", "--format", "json"])
        #expect(json.stdout.contains("\"status\": \"not-graded\""), "\(json.stdout)")
    }

    @Test func aFunctionThatFailsIsSummarisedWithItsErrorAndLine() throws {
        let ws = try workspace([
            "functions/echo.lua": "return function(event, context)\n  local x = = 1\nend\n",
            "actions.lua": """
                aws.lambda.update_function_code{ FunctionName = "Echo", SourceFile = "functions/echo.lua" }
                aws.lambda.create_event_source_mapping{ FunctionName = "Echo", StartingPosition = "TRIM_HORIZON",
                  EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/Input" }
                """,
        ])
        let actions = ws.appendingPathComponent("actions.lua").path
        let run = try CLIRunner.run(["run", "tiny", "--actions", actions])
        #expect(run.stdout.contains("Echo: "), "\(run.stdout)")
        #expect(run.stdout.contains("most frequent error: Runtime.UserCodeSyntaxError"), "\(run.stdout)")
        // The file as the learner named it, with the line, not a host path.
        #expect(run.stdout.contains("log: [ERROR] Runtime.UserCodeSyntaxError: functions/echo.lua:2:"), "\(run.stdout)")
        let grade = try CLIRunner.run(["grade", "tiny", "--actions", actions])
        #expect(grade.stdout.contains("functions:\n  Echo: "), "\(grade.stdout)")
        let json = try CLIRunner.run(["grade", "tiny", "--actions", actions, "--format", "json"])
        #expect(json.stdout.contains("\"type\": \"Runtime.UserCodeSyntaxError\""), "\(json.stdout)")
    }

    @Test func hintsComeALevelAtATimeAndAreRememberedInTheWorkspace() throws {
        let ws = FileManager.default.temporaryDirectory.appendingPathComponent("hints-\(UInt64.random(in: 0...UInt64.max))")
        #expect(try CLIRunner.run(["init", "lab1", ws.path], in: CLIRunner.packageRoot).status == 0)
        let run = try CLIRunner.run(["run", "lab1", "--actions", ws.appendingPathComponent("actions.lua").path, "--minutes", "1"], in: CLIRunner.packageRoot)
        #expect(run.stdout.contains("hint: Nothing calls StateLambda yet"), "\(run.stdout)")
        #expect(!run.stdout.contains("create_event_source_mapping{"), "run shows the first level only: \(run.stdout)")
        #expect(!run.stdout.contains("--solution"))
        let second = try CLIRunner.run(["hint", "lab1", "--workspace", ws.path], in: CLIRunner.packageRoot)
        #expect(second.status == 0)
        #expect(second.stdout.contains("1. Nothing calls StateLambda yet") && second.stdout.contains("2. A trigger is an event source mapping"), "\(second.stdout)")
        #expect(!second.stdout.contains("3."))
        let third = try CLIRunner.run(["hint", "lab1", "--workspace", ws.path], in: CLIRunner.packageRoot)
        #expect(third.stdout.contains("3. aws.lambda.create_event_source_mapping{"), "\(third.stdout)")
        #expect(third.stdout.contains("that is the last hint"))
        let other = try CLIRunner.run(["hint", "lab1", "connect-reduce-lambda", "--workspace", ws.path], in: CLIRunner.packageRoot)
        #expect(other.stdout.contains("1. Several ReduceLambda instances") && !other.stdout.contains("2."), "\(other.stdout)")
    }

    @Test func theFittingHintFollowsTheFailingCheck() throws {
        let ws = try workspace(["actions.lua": """
            aws.lambda.create_event_source_mapping{ FunctionName = "StateLambda", BatchSize = 500, StartingPosition = "LATEST",
              EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/IncomingDataStream" }
            """])
        let run = try CLIRunner.run(["run", "lab1", "--actions", ws.appendingPathComponent("actions.lua").path, "--minutes", "1"], in: CLIRunner.packageRoot)
        #expect(run.stdout.contains("has BatchSize 500; the step asks for 100"), "\(run.stdout)")
        #expect(run.stdout.contains("hint: The trigger exists; look at how many records it hands StateLambda at a time."), "\(run.stdout)")
    }

    @Test func initWritesNoAnswers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("init-\(UInt64.random(in: 0...UInt64.max))")
        let result = try CLIRunner.run(["init", "lab1", folder.path], in: CLIRunner.packageRoot)
        #expect(result.status == 0)
        let actions = try String(contentsOf: folder.appendingPathComponent("actions.lua"), encoding: .utf8)
        #expect(!actions.contains("create_event_source_mapping{ FunctionName"), "\(actions)")
        #expect(!actions.contains("put_function_concurrency{"))
        #expect(!actions.contains("--solution"))
        #expect(actions.contains("labengine hint lab1 connect-state-lambda --workspace \(folder.path)"))
    }

    @Test func inspectShowsTheTriggerBeforeTheLearnerActs() throws {
        let result = try CLIRunner.run(["inspect", "lab1", "mappings", "MapLambda"], in: CLIRunner.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let mapping = try #require((json["EventSourceMappings"] as? [[String: Any]])?.first)
        #expect(mapping["State"] as? String == "Disabled")
        #expect(mapping["BatchSize"] as? Int == 10000)
        let items = try CLIRunner.run(["inspect", "lab1", "items", "AggregateTable", "--solution", "--at", "90"], in: CLIRunner.packageRoot)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(items.stdout.utf8)) as? [[String: Any]])
        #expect(list.contains { $0["Identifier"] as? String == "message_count" }, "\(items.stdout.prefix(400))")
        let missing = try CLIRunner.run(["inspect", "lab1", "items", "NoTable"], in: CLIRunner.packageRoot)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("ResourceNotFoundException"))
        // Actions that stop: the world as they left it is shown, and the exit code says they failed.
        let stopped = try CLIRunner.run(["inspect", "tiny", "table", "Echoes", "--actions", "labs/tiny/tests/actions/broken.lua"])
        #expect(stopped.status == 1)
        #expect(stopped.stdout.contains("\"TableName\": \"Echoes\""), "\(stopped.stdout.prefix(300))")
        #expect(stopped.stderr.contains("broken.lua:2:"))
    }

    @Test func watchShowsMoneyWithTwoDecimalsAndOneMinuteIsSingular() throws {
        let result = try CLIRunner.run(["run", "lab1", "--solution", "--watch", "--speed", "1000000", "--minutes", "1"], in: CLIRunner.packageRoot)
        #expect(result.stdout.contains("seed 1, 1 virtual minute\n"), "\(result.stdout.prefix(200))")
        // The live table's rows: an indented key, then its amount.
        let amounts = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.contains(":") }
            .compactMap { $0.split(separator: " ").last }.filter { $0.allSatisfy { "0123456789.-".contains($0) } }
        #expect(!amounts.isEmpty, "\(result.stdout.suffix(2000))")
        for amount in amounts {
            #expect(amount.range(of: #"^-?\d+\.\d\d$"#, options: .regularExpression) != nil, "\(amount)")
        }
    }
}
