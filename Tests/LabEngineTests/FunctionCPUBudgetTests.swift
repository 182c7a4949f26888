import CloudSim
import Foundation
@testable import LabEngine
import Testing

/// The grader's CPU budget for function code (`function_cpu_per_minute`): a run whose
/// functions use more stops, deterministically, and says why; one within it runs its length.
@Suite struct FunctionCPUBudgetTests {
    /// Runs the tiny lab (budget 1 s a minute; five records every 20 s) with Echo's handler `handler`.
    private func run(_ handler: String) throws -> RunResult {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID().uuidString).lua")
        try """
            aws.lambda.update_function_code{ FunctionName = "Echo", Source = [[\(handler)]] }
            aws.lambda.create_event_source_mapping{ FunctionName = "Echo", StartingPosition = "TRIM_HORIZON",
              EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/Input" }
            """.write(to: file, atomically: true, encoding: .utf8)
        return try LabRunner(lab: fixtureLab("tiny")).run(actions: .files([file.path]), seed: 1)
    }

    private static let doubling = "return function() local s = 'x' while true do s = s .. s end end"
    /// Echoes each record after some work of its own (the count goes by the thousand instructions).
    private static let echo = """
        return function(event)
          for _, r in ipairs(event.Records) do
            local n = 0
            for i = 1, 5000 do n = n + i end
            aws.dynamodb.put_item{ TableName = "Echoes", Item = { id = { S = base64.decode(r.kinesis.data) } } }
          end
        end
        """

    /// Each attempt of a 128 MB function that doubles a string copies 127 MB, which takes about
    /// 80 ms of virtual CPU; its batch is retried, so 1 s a minute is used up in seconds.
    @Test func aRunWhoseFunctionsUseMoreThanTheBudgetStopsAndSaysWhy() throws {
        let result = try run(Self.doubling)
        let stop = try #require(result.stop)
        #expect(stop.at < 60, "the first minute's allowance is used up within it")
        #expect(stop.message.contains("the run stopped at \(stop.at) s: function code used 1."))
        #expect(stop.message.contains("more than this lab allows (1 s a virtual minute for all functions together); Echo used 1."))
        #expect(!result.passed)
        #expect(result.minutes.count < 3)
        let used = result.world.account.lambda.cpuTime
        #expect(used > .seconds(1) && used < .seconds(2), "stopped within the second it went over: \(used.seconds) s")
        let report = GradeReport(result: result)
        #expect(report.json().contains("\"stopped\""))
        #expect(report.text().contains("stopped: the run stopped at"))
        #expect(report.exercism().contains("\"status\" : \"error\"") || report.exercism().contains("\"status\": \"error\""))
        // The same inputs and seed stop at the same second with the same report.
        let again = try run(Self.doubling)
        #expect(again.stop == stop)
        #expect(GradeReport(result: again).json() == report.json())
    }

    /// A function that does its job uses a fraction of the smallest budget: the run goes on.
    @Test func aRunWithinTheBudgetRunsItsLength() throws {
        let result = try run(Self.echo)
        #expect(result.stop == nil)
        #expect(result.minutes.map(\.points) == [50, 50, 50], "a round every 20 s for the minute, each echoed in full")
        let used = result.world.account.lambda.cpuTime
        #expect(used > .zero && used < .seconds(1), "the budget counts the function's work: \(used.seconds) s")
    }

    /// A lab whose reference solution goes over the budget fails its self-test, saying why.
    @Test func theSelfTestNamesAStopInTheSolvedRun() throws {
        let loader = try scratchLab("""
            return {
              title = "Hog", extends = "tiny", plugins = { "testkit@2" }, max_score = 100,
              scoring = { rule = "testkit.counter", params = { every = 20, wait = 10, count = 5, points = 50, phase_at = 1000 } },
              steps = { { id = "hog", title = "Hog", check = function() return true, "ok" end,
                solve = function(aws) aws.lambda.update_function_code{ FunctionName = "Echo", Source = [[\(Self.doubling)]] } end } },
            }
            """)
        try FileManager.default.copyItem(
            atPath: fixtureFolder.appendingPathComponent("labs/tiny").path, toPath: "\(loader.catalog.directory)/tiny")
        var lines: [String] = []
        let outcome = SelfTest(catalog: loader.catalog).run("bad") { lines.append($0) }
        #expect(outcome.failed >= 1)
        let full = lines.first { $0.contains("the solved lab reaches its full score") } ?? ""
        #expect(full.hasPrefix("FAIL") && full.contains("the run stopped at") && full.contains("Echo used"), "\(lines)")
        #expect(lines.contains("ok   bad: the same seed gives the same report"), "\(lines)")
    }

    /// The allowance is the first minute's from the start, then grows with each second.
    @Test func theAllowanceGrowsWithTheRun() {
        func over(_ used: Double, at elapsed: Int) -> Bool {
            FunctionCPUBudget.exceeded(used: .seconds(used), secondsPerMinute: 2, elapsed: elapsed)
        }
        #expect(!over(2, at: 1))
        #expect(over(2.000001, at: 1))
        #expect(!over(2, at: 60))
        #expect(!over(5, at: 150))
        #expect(over(5.01, at: 150))
    }

    /// The budget is a lab field: whole seconds from 1 to 3600, inherited, 10 by default.
    @Test func theBudgetIsALabFieldCheckedWithItsLine() throws {
        let step = "{ id = 's', title = 'S', check = function() return true end }"
        #expect(try scratchLab("return { title = 'x', steps = { \(step) } }").load("bad").functionCPUPerMinute == 10)
        let child = try scratchLab(
            "return { title = 'x', extends = 'parent', steps = { \(step) } }",
            extraLabs: ["parent": "return { title = 'p', function_cpu_per_minute = 3600, steps = { \(step) } }"]).load("bad")
        #expect(child.functionCPUPerMinute == 3600)
        for bad in ["0", "3601", "1.5", "'10'"] {
            do {
                _ = try scratchLab("return {\n  title = 'x',\n  function_cpu_per_minute = \(bad),\n  steps = { { id = 's', title = 'S', check = function() return true end } } }").load("bad")
                Issue.record("\(bad) was taken")
            } catch let error as LabError {
                #expect(error.line == 3)
                #expect(error.message == "'function_cpu_per_minute' must be a whole number from 1 to 3600")
            }
        }
    }
}
