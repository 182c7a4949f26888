import DocumentModel
import Foundation
import Testing

/// `grade --submissions`: a course's folder of submissions, graded side by side, with a
/// report each and a summary; `--shard` splits it for a CI matrix; parallel runs give the
/// same bytes as one after another.
@Suite(.serialized) struct SubmissionTests {
    let labs = CLIRunner.fixtures.appendingPathComponent("labs").path

    private func folder(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("subs-\(UInt32.random(in: 0...UInt32.max))")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    static let solved = """
        aws.lambda.create_event_source_mapping{ FunctionName = "Echo", StartingPosition = "TRIM_HORIZON",
          EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/Input" }
        aws.dynamodb.put_item{ TableName = "Echoes", Item = { id = { S = "note" } } }
        """

    @Test func everySubmissionGetsAReportAndARowInTheSummary() throws {
        let root = try folder([
            "in/alice/actions.lua": Self.solved, "in/bob/actions.lua": "print('not yet')", "in/carol/notes.txt": "no actions",
            "in/dave/actions.lua": "aws.dynamodb.delete_table{ TableName = 'Missing' }",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("reports").path
        let result = try CLIRunner.run(["grade", "tiny", "--labs", labs, "--submissions", root.appendingPathComponent("in").path, "--reports", out, "--format", "json"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("alice\tseed 1\t150/100\tPASSED") && result.stdout.contains("1 of 4 passed"), "\(result.stdout)")
        let csv = try String(contentsOfFile: "\(out)/summary.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(csv == [
            "submission,seed,score,maxScore,passed,failingStep,error",
            "alice,1,150,100,true,,",
            "bob,1,0,100,false,connect,",
            "carol,1,0,0,false,,no actions.lua in the submission",
            "dave,1,0,100,false,connect,\(root.appendingPathComponent("in/dave/actions.lua").standardizedFileURL.path):1: ResourceNotFoundException: Requested resource not found: Table: Missing not found",
        ], "\(csv)")
        let summary = try Document(jsonText: try String(contentsOfFile: "\(out)/summary.json", encoding: .utf8))
        #expect(summary.arrayValue?.map { $0["passed"]?.boolValue } == [true, false, false, false])
        let alice = try Document(jsonText: try String(contentsOfFile: "\(out)/alice.json", encoding: .utf8))
        #expect(alice["passed"]?.boolValue == true && alice["lab"]?.stringValue == "tiny")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/carol.json"))
    }

    /// Shards split the sorted list so that every submission is graded exactly once.
    @Test func shardsCoverEverySubmissionOnce() throws {
        var files: [String: String] = [:]
        for name in ["a", "b", "c", "d", "e"] { files["in/\(name)/actions.lua"] = "print('\(name)')" }
        let root = try folder(files)
        defer { try? FileManager.default.removeItem(at: root) }
        var seen: [String] = []
        for k in 1...3 {
            let out = root.appendingPathComponent("r\(k)").path
            _ = try CLIRunner.run(["grade", "tiny", "--labs", labs, "--submissions", root.appendingPathComponent("in").path, "--reports", out, "--shard", "\(k)/3"])
            let csv = try String(contentsOfFile: "\(out)/summary-\(k)-of-3.csv", encoding: .utf8)
            seen += csv.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        }
        #expect(seen.sorted() == ["a", "b", "c", "d", "e"] && seen == ["a", "d", "b", "e", "c"], "\(seen)")
        let bad = try CLIRunner.run(["grade", "tiny", "--labs", labs, "--submissions", root.path, "--shard", "4/3"])
        #expect(bad.status == 2 && bad.stderr.contains("--shard takes K/N"), "\(bad.stderr)")
    }

    /// AWS CLI scripts, each in its own submission folder, graded at the same time (each
    /// has its own endpoint), and the failing command is named in the summary.
    @Test func execRunsEachSubmissionsScriptInItsFolder() throws {
        let script = """
            aws lambda create-event-source-mapping --function-name Echo --starting-position TRIM_HORIZON \\
              --event-source-arn arn:aws:kinesis:us-west-2:123456789012:stream/Input > /dev/null
            aws dynamodb put-item --table-name Echoes --item '{"id": {"S": "note"}}'
            """
        let root = try folder(["in/dana/solution.sh": script, "in/erin/solution.sh": script, "in/fay/solution.sh": "exit 3"])
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("reports").path
        let result = try CLIRunner.run([
            "grade", "tiny", "--labs", labs, "--submissions", root.appendingPathComponent("in").path, "--reports", out, "--exec", "bash solution.sh", "--jobs", "3",
        ])
        #expect(result.status == 1)
        let csv = try String(contentsOfFile: "\(out)/summary.csv", encoding: .utf8)
        #expect(csv.contains("dana,1,150,100,true,,") && csv.contains("erin,1,150,100,true,,"), "\(csv)\(result.stderr)")
        #expect(csv.contains("fay,1,0,100,false,connect,'bash solution.sh' exited with 3"), "\(csv)")
    }

    /// Seeds graded side by side give the report one after another gives, byte for byte.
    @Test func parallelSeedsGiveTheSameReport() throws {
        let root = try folder(["actions.lua": Self.solved])
        defer { try? FileManager.default.removeItem(at: root) }
        let actions = root.appendingPathComponent("actions.lua").path
        let one = try CLIRunner.run(["grade", "tiny", "--labs", labs, "--actions", actions, "--seeds", "3", "--jobs", "1", "--format", "json"])
        let three = try CLIRunner.run(["grade", "tiny", "--labs", labs, "--actions", actions, "--seeds", "3", "--jobs", "3", "--format", "json"])
        #expect(one.status == 0 && one.stdout.contains("\"seeds\""))
        #expect(one.stdout == three.stdout)
    }
}
