import CloudSim
import DocumentModel
import Foundation
import Testing
@testable import LabEngine

/// Three states of a step's check, and how the author's self-test treats a broken check.
@Suite struct StepStatusTests {
    /// A lab whose one step's check body is `check`; the world has a table `Things`.
    static func lab(check: String, hints: String = "", extra: String = "") -> String {
        """
        return { title = 'x', minutes = 1,
          world = function(aws)
            aws.dynamodb.create_table{ TableName = 'Things', AttributeDefinitions = { { AttributeName = 'id', AttributeType = 'S' } },
              KeySchema = { { AttributeName = 'id', KeyType = 'HASH' } } }
          end,
          \(extra)
          steps = {
            { id = "s", title = 'S', \(hints)
              check = function(ctx)
                \(check)
              end,
              solve = function(aws) aws.dynamodb.put_item{ TableName = 'Things', Item = { id = { S = 'x' } } } end },
          } }
        """
    }

    func run(_ source: String) throws -> RunResult {
        try LabRunner(lab: try scratchLab(source).load("bad")).run(actions: .none, seed: 1, minutes: 1)
    }

    @Test func aCheckThatRaisesIsAnErrorNamingItsLine() throws {
        let result = try run(Self.lab(check: "local t = nil\n    return t.field"))
        #expect(result.steps[0].status == .error)
        #expect(result.steps[0].message.contains("lab.lua:11:"), "\(result.steps[0].message)")
        #expect(result.steps[0].message.contains("attempt to index a nil value"))
    }

    @Test func aCheckThatReturnsNoBooleanIsAnError() throws {
        let result = try run(Self.lab(check: "return 'yes'"))
        #expect(result.steps[0].status == .error)
        #expect(result.steps[0].message.contains("returned a string, not true or false"), "\(result.steps[0].message)")
        #expect(result.steps[0].message.contains("lab.lua:9"), "the check's own line: \(result.steps[0].message)")
    }

    @Test func aCheckThatTriesToWriteIsAnError() throws {
        let result = try run(Self.lab(check: "ctx.aws.dynamodb.put_item{ TableName = 'Things', Item = { id = { S = 'x' } } }\n    return true"))
        #expect(result.steps[0].status == .error)
        #expect(result.steps[0].message.contains("checks cannot change the world"))
    }

    @Test func aFailingCheckIsFailedNotError() throws {
        let result = try run(Self.lab(check: "return #ctx.items('Things') > 0, 'Things is empty'"))
        #expect(result.steps[0].status == .failed)
        #expect(result.steps[0].message == "Things is empty")
    }

    /// An endless loop costs its instruction budget once per lab state, not once per run.
    @Test func aLoopingCheckCostsItsBudgetOnce() throws {
        let lab = try scratchLab(Self.lab(check: "while true do end")).load("bad")
        let first = try LabRunner(lab: lab).run(actions: .none, seed: 1, minutes: 1)
        #expect(first.steps[0].status == .error)
        #expect(first.steps[0].message.contains("instruction limit"), "\(first.steps[0].message)")
        #expect(lab.state.spentChecks["s"] != nil)
        let again = try LabRunner(lab: lab).run(actions: .solution, seed: 1, minutes: 1)
        #expect(again.steps[0] == first.steps[0], "the second run reports the same error without running the loop")
    }

    @Test func theSelfTestFailsABrokenCheck() throws {
        let folder = try scratchFolder(Self.lab(check: "return undefined_helper(ctx)"))
        var lines: [String] = []
        let outcome = SelfTest(catalog: LabCatalog(directory: folder)).run("bad") { lines.append($0) }
        #expect(outcome.failed >= 1)
        let line = lines.first { $0.contains("fails before its solve") } ?? ""
        #expect(line.hasPrefix("FAIL"), "\(lines)")
        #expect(line.contains("the check is broken") && line.contains("lab.lua:10:"), "\(line)")
    }

    @Test func theCheckNamesTheHintThatFits() throws {
        let hints = "hints = { default = { 'nudge', 'answer' }, empty = { 'the table is empty', 'put an item' } },"
        let result = try run(Self.lab(check: "return false, 'nothing', 'empty'", hints: hints))
        #expect(result.steps[0].hint == "empty")
        #expect(result.hint?.levels == ["the table is empty", "put an item"])
        let unnamed = try run(Self.lab(check: "return false, 'nothing'", hints: hints))
        #expect(unnamed.hint?.name == "default")
        let unknown = try run(Self.lab(check: "return false, 'nothing', 'emtpy'", hints: hints))
        #expect(unknown.steps[0].status == .error)
        #expect(unknown.steps[0].message.contains("named hint 'emtpy', but the step's hints are default, empty"), "\(unknown.steps[0].message)")
    }

    @Test func actionsThatStopMeanNoStepIsGraded() throws {
        let lab = try scratchLab(Self.lab(check: "return true")).load("bad")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stops-\(UInt64.random(in: 0...UInt64.max)).lua")
        try "error('stop here')".write(to: file, atomically: true, encoding: .utf8)
        let result = try LabRunner(lab: lab).run(actions: .files([file.path]), seed: 1, minutes: 1)
        #expect(result.actionError?.message.contains("stop here") == true)
        #expect(result.steps.map(\.status) == [.notGraded])
        #expect(result.minutes.isEmpty)
        let junit = GradeReport(result: result).junit()
        #expect(junit.contains("<skipped message=\"not graded"), "\(junit)")
    }

    @Test func reportsShowAnErrorAsAnError() throws {
        let result = try run(Self.lab(check: "error('broken check')"))
        let report = GradeReport(result: result)
        #expect(report.json().contains("\"status\": \"error\""), "\(report.json())")
        #expect(report.junit().contains("<error message="), "\(report.junit())")
        #expect(!report.junit().contains("<failure"))
        let exercism = try Document(jsonText: report.exercism())
        #expect(exercism["status"]?.stringValue == "error")
        #expect(exercism["tests"]?.arrayValue?.first?["status"]?.stringValue == "error")
        #expect(report.text().contains("[!] s:"))
    }
}

/// A labs folder holding one lab `bad`, for the self-test.
func scratchFolder(_ source: String) throws -> String {
    let loader = try scratchLab(source)
    return loader.catalog.directory
}
