import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// End-to-end: the built binary on the fixture labs, every command and exit code.
@Suite struct CommandTests {
    @Test func showListsStepsAndPrintsInstructionsAndCode() throws {
        let all = try CLIRunner.run(["show", "tiny"])
        #expect(all.status == 0)
        #expect(all.stdout.contains("1. Connect Echo to the stream [connect]"))
        let step = try CLIRunner.run(["show", "tiny", "connect"])
        #expect(step.stdout.contains("Add a trigger from the `Input` stream"))
        let code = try CLIRunner.run(["show", "tiny", "--function", "Echo"])
        #expect(code.stdout.contains("aws.dynamodb.put_item"))
        let missing = try CLIRunner.run(["show", "tiny", "nope"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("has no step 'nope' (steps: connect, note)"))
    }

    @Test func unknownLabsAreUsageErrorsListingTheKnownOnes() throws {
        let result = try CLIRunner.run(["run", "nosuch"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown lab 'nosuch'"))
        #expect(result.stderr.contains("hello, tiny, tiny-child"))
    }

    @Test func badArgumentsExitWithTwo() throws {
        #expect(try CLIRunner.run(["grade", "tiny"]).status == 2)
        #expect(try CLIRunner.run(["grade", "tiny", "--solution", "--format", "yaml"]).status == 2)
        let budget = try CLIRunner.run(["grade", "tiny", "--solution", "--memory", "0"])
        #expect(budget.status == 2)
        #expect(budget.stderr.contains("--memory must be at least 1 (megabytes)"), "\(budget.stderr)")
        let missing = try CLIRunner.run(["grade", "tiny", "--actions", "no-such-file.lua"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-file.lua"))
    }

    @Test func runShowsMinutesStepsAndTheNextHint() throws {
        let unsolved = try CLIRunner.run(["run", "tiny"])
        #expect(unsolved.status == 1)
        #expect(unsolved.stdout.contains("minute 1: +0 points (score 0)  — echoed 0 of 5"))
        #expect(unsolved.stdout.contains("next: Connect Echo to the stream"))
        #expect(unsolved.stdout.contains("hint: aws.lambda.create_event_source_mapping"))
        let solved = try CLIRunner.run(["run", "tiny", "--solution", "--seed", "3"])
        #expect(solved.status == 0)
        #expect(solved.stdout.contains("PASSED"))
    }

    @Test func runWritesArtifacts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("artifacts-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIRunner.run(["run", "tiny", "--solution", "--artifacts", folder.path])
        #expect(result.status == 0)
        for file in ["report.json", "logs/Echo.log", "tables/Echoes.json", "minutes.csv", "metrics.csv"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test func gradeExitCodesFollowTheResult() throws {
        #expect(try CLIRunner.run(["grade", "tiny", "--solution"]).status == 0)
        let broken = try CLIRunner.run(["grade", "tiny", "--actions", "labs/tiny/tests/actions/broken.lua", "--format", "json"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("\"line\": 2"))
        #expect(broken.stdout.contains("broken.lua"))
    }

    @Test func jsonReportsAreByteIdenticalAndCarryTheContractFields() throws {
        let a = try CLIRunner.run(["grade", "tiny", "--solution", "--format", "json", "--seed", "4"])
        let b = try CLIRunner.run(["grade", "tiny", "--solution", "--format", "json", "--seed", "4"])
        #expect(a.stdout == b.stdout)
        let report = try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any]
        for field in ["lab", "seed", "passed", "score", "maxScore", "steps", "minutes"] { #expect(report?[field] != nil, "\(field)") }
        let minute = (report?["minutes"] as? [[String: Any]])?.first
        for field in ["minute", "points", "score", "exact", "detail"] { #expect(minute?[field] != nil, "\(field)") }
    }

    @Test func junitHasOneTestCasePerStep() throws {
        let result = try CLIRunner.run(["grade", "tiny", "--format", "junit", "--actions", "labs/tiny/tests/actions/noop.lua"])
        #expect(result.status == 1)
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(result.stdout.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "the JUnit report is not well-formed XML")
        #expect(counter.counts["testcase"] == 2)
        #expect(counter.counts["failure"] == 2)
        #expect(counter.counts["testsuite"] == 1)
    }

    @Test func junitKeepsOneTestCasePerStepWhenTheActionsFail() throws {
        let result = try CLIRunner.run(["grade", "tiny", "--format", "junit", "--actions", "labs/tiny/tests/actions/broken.lua"])
        #expect(result.status == 1)
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(result.stdout.utf8))
        parser.delegate = counter
        #expect(parser.parse())
        #expect(counter.counts["testcase"] == 2)
        #expect(counter.counts["system-err"] == 1)
        #expect(result.stdout.contains("broken.lua:2:"))
    }

    @Test func exercismResultsFollowVersionThree() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UInt32.random(in: 0...UInt32.max)).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try CLIRunner.run(["grade", "tiny", "--solution", "--format", "exercism", "--output", output.path])
        #expect(result.status == 0)
        let data = try Data(contentsOf: output)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["version"] as? Int == 3)
        #expect(["pass", "fail", "error"].contains(json["status"] as? String ?? ""))
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.count == 2)
        for (index, test) in tests.enumerated() {
            #expect(test["name"] is String)
            #expect(["pass", "fail", "error"].contains(test["status"] as? String ?? ""))
            #expect(test["task_id"] as? Int == index + 1)
            #expect(test["test_code"] is String)
        }
        let broken = try CLIRunner.run(["grade", "tiny", "--format", "exercism", "--actions", "labs/tiny/tests/actions/broken.lua"])
        let error = try #require(try JSONSerialization.jsonObject(with: Data(broken.stdout.utf8)) as? [String: Any])
        #expect(error["status"] as? String == "error")
        #expect((error["message"] as? String)?.contains("broken.lua:2:") == true)
    }

    /// A run over the lab's CPU budget stops, fails with exit code 1 and says why in every format.
    @Test func aRunOverTheCPUBudgetStopsInEveryFormat() throws {
        let hog = ["grade", "tiny", "--actions", "labs/tiny/tests/actions/hog.lua"]
        let json = try CLIRunner.run(hog + ["--format", "json"])
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let stopped = try #require(report["stopped"] as? [String: Any])
        #expect((stopped["message"] as? String)?.contains("Echo used") == true)
        #expect(report["passed"] as? Bool == false)
        let text = try CLIRunner.run(hog)
        #expect(text.status == 1)
        #expect(text.stdout.contains("stopped: the run stopped at \(stopped["at"] as? Int ?? -1) s"))
        #expect(try CLIRunner.run(hog + ["--format", "junit"]).stdout.contains("<system-err>the run stopped at"))
        let exercism = try CLIRunner.run(hog + ["--format", "exercism"])
        let results = try #require(try JSONSerialization.jsonObject(with: Data(exercism.stdout.utf8)) as? [String: Any])
        #expect(results["status"] as? String == "error")
        let run = try CLIRunner.run(["run", "tiny", "--actions", "labs/tiny/tests/actions/hog.lua"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("labengine: error: the run stopped at"))
    }

    @Test func gradeUnderSeveralSeedsNamesTheSmallestFailingSeed() throws {
        let result = try CLIRunner.run(["grade", "tiny", "--actions", "labs/tiny/tests/actions/noop.lua", "--seeds", "2", "--format", "json"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\"smallestFailingSeed\": 1"))
    }

    @Test func initWritesAWorkspaceOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try CLIRunner.run(["init", "tiny", folder.path])
        #expect(first.status == 0)
        let actions = try String(contentsOf: folder.appendingPathComponent("actions.lua"), encoding: .utf8)
        #expect(actions.contains("Step 1: Connect Echo to the stream"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("functions/echo.lua").path))
        let again = try CLIRunner.run(["init", "tiny", folder.path])
        #expect(again.status == 2)
    }

    @Test func testCommandPassesAGoodLabAndFailsABrokenOne() throws {
        let good = try CLIRunner.run(["test", "tiny"])
        #expect(good.status == 0, "\(good.stdout)")
        #expect(good.stdout.contains("ok   tiny: step 'connect' fails before its solve"))
        #expect(good.stdout.contains("passed, 0 failed"))
        let broken = try CLIRunner.run(["test", "--labs", "broken-labs"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("FAIL bad: loads"))
        #expect(broken.stdout.contains("ok   good: loads"))
    }
}

/// Counts XML elements by name.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
}
