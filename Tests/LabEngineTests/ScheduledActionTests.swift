import DocumentModel
import Foundation
@testable import LabEngine
import Testing

/// `at(seconds, fn)` in actions files: acting on a pipeline that is running.
@Suite struct ScheduledActionTests {
    private let tiny = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LabengineCLITests/Fixtures/labs")

    private func run(_ actions: String) throws -> RunResult {
        let lab = try LabLoader(catalog: LabCatalog(directory: tiny.path)).load("tiny")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("at-\(UUID().uuidString).lua")
        try actions.write(to: file, atomically: true, encoding: .utf8)
        return try LabRunner(lab: lab).run(actions: .files([file.path]), seed: 1)
    }

    /// The step's check passes only once the scheduled put has run: at the first check after 25 s.
    @Test func anActionRunsAtItsVirtualTime() throws {
        let result = try run("""
            aws.lambda.create_event_source_mapping{ FunctionName = "Echo", StartingPosition = "TRIM_HORIZON",
              EventSourceArn = "arn:aws:kinesis:us-west-2:123456789012:stream/Input" }
            at(25, function() aws.dynamodb.put_item{ TableName = "Echoes", Item = { id = { S = "note" } } } end)
            """)
        #expect(result.scheduledActionError == nil)
        #expect(result.steps.map(\.passed) == [true, true])
        #expect(result.steps.last?.passedAt == 30)
    }

    /// Actions due at the same second run in the order given, and one may schedule another.
    @Test func actionsRunInOrderAndMayScheduleMore() throws {
        let result = try run("""
            local order = {}
            at(5, function() order[#order + 1] = "b" end)
            at(2, function() order[#order + 1] = "a"; at(5, function() order[#order + 1] = "c" end) end)
            at(6, function()
              aws.dynamodb.put_item{ TableName = "Echoes", Item = { id = { S = "note" } } }
              assert(table.concat(order) == "abc", table.concat(order))
            end)
            """)
        #expect(result.scheduledActionError == nil)
        #expect(result.steps.last?.passed == true)
    }

    /// A failing action is reported with its file and line; time and grading go on; later actions are cancelled.
    @Test func aFailingActionIsReportedAndCancelsTheRest() throws {
        let result = try run("""
            at(10, function()
              aws.dynamodb.delete_table{ TableName = "Missing" }
            end)
            at(20, function() aws.dynamodb.put_item{ TableName = "Echoes", Item = { id = { S = "note" } } } end)
            """)
        let error = try #require(result.scheduledActionError)
        #expect(error.description.contains(":2:") && error.description.contains("(in the action scheduled for 10 s)"), "\(error.description)")
        #expect(result.actionError == nil)
        #expect(result.steps.last?.status == .failed)
        #expect(GradeReport(result: result).json().contains("\"scheduledError\""))
    }

    @Test func badArgumentsAreRefused() throws {
        let result = try run("at(-1, function() end)")
        #expect(result.actionError?.message.contains("at(seconds, function) needs") == true, "\(String(describing: result.actionError))")
    }
}
