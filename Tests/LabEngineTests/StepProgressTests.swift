import CloudSim
import DocumentModel
import Foundation
import Testing
@testable import LabEngine

/// Checks run while virtual time passes: when each step first passed, and the setups that
/// start when the learner reaches a step.
@Suite struct StepProgressTests {
    static let twoSteps = """
        return { title = 'x', minutes = 1,
          steps = {
            { id = "a", title = 'A',
              -- The first step's setup runs at the start, before the learner's actions.
              setup = function(aws)
                aws.dynamodb.create_table{ TableName = 'Things', AttributeDefinitions = { { AttributeName = 'id', AttributeType = 'S' } },
                  KeySchema = { { AttributeName = 'id', KeyType = 'HASH' } } }
              end,
              check = function(ctx)
                return ctx.aws.dynamodb.get_item{ TableName = 'Things', Key = { id = { S = 'x' } } }.Item ~= nil, 'no item x'
              end,
              solve = function(aws) aws.dynamodb.put_item{ TableName = 'Things', Item = { id = { S = 'x' } } } end },
            { id = "b", title = 'B',
              -- Runs when step a first passes: the author breaks something once the learner gets there.
              setup = function(aws) aws.dynamodb.put_item{ TableName = 'Things', Item = { id = { S = 'poison' } } } end,
              check = function(ctx)
                local poison = ctx.aws.dynamodb.get_item{ TableName = 'Things', Key = { id = { S = 'poison' } } }.Item
                return poison == nil, poison and 'the poison item is still there' or 'clean'
              end,
              solve = function(aws) end },
          } }
        """

    @Test func aStepsFirstPassIsReportedAndStartsTheNextSetup() throws {
        let lab = try scratchLab(Self.twoSteps).load("bad")
        let solved = try LabRunner(lab: lab).run(actions: .solution, seed: 1, minutes: 1)
        #expect(solved.steps[0].passedAt == 10)
        #expect(solved.steps[0].passed)
        // a's first pass at 10 s started b's setup before b was checked: b never passed.
        #expect(solved.steps[1].passedAt == nil)
        #expect(solved.steps[1].status == .failed)
        #expect(solved.steps[1].message == "the poison item is still there")
        let json = GradeReport(result: solved).json()
        #expect(json.contains("\"passedAt\": 10"), "\(json)")
    }

    @Test func withoutTheFirstStepTheSecondSetupNeverRuns() throws {
        let lab = try scratchLab(Self.twoSteps).load("bad")
        let none = try LabRunner(lab: lab).run(actions: .none, seed: 1, minutes: 1)
        #expect(none.steps[0].passedAt == nil)
        #expect(none.steps[1].passed, "\(none.steps[1].message)")
        #expect(none.world.account.dynamodb.tables["Things"] != nil, "the first step's setup ran at the start")
    }

    @Test func actionsSeeWhatTheFirstSetupBuilt() throws {
        let lab = try scratchLab(Self.twoSteps).load("bad")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("put-\(UInt64.random(in: 0...UInt64.max)).lua")
        try "aws.dynamodb.put_item{ TableName = 'Things', Item = { id = { S = 'x' } } }".write(to: file, atomically: true, encoding: .utf8)
        let result = try LabRunner(lab: lab).run(actions: .files([file.path]), seed: 1, minutes: 1)
        #expect(result.actionError == nil, "\(String(describing: result.actionError))")
        #expect(result.steps[0].passedAt == 10)
    }

    /// Checks only read: running them every second or every ten gives the same run.
    @Test func checkingMoreOftenChangesNothingInTheWorld() throws {
        func run(every: Int) throws -> RunResult {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("every-\(every)-\(UInt64.random(in: 0...UInt64.max))")
            let labs = root.appendingPathComponent("labs")
            try FileManager.default.createDirectory(at: labs, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: fixtureFolder.appendingPathComponent("labs/tiny"), to: labs.appendingPathComponent("tiny"))
            let file = labs.appendingPathComponent("tiny/lab.lua")
            let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "minutes = 1,", with: "minutes = 1, check_every = \(every),")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let catalog = LabCatalog(directory: labs.path, pluginsDirectory: fixtureFolder.appendingPathComponent("plugins").path)
            return try LabRunner(lab: try LabLoader(catalog: catalog).load("tiny")).run(actions: .solution, seed: 3)
        }
        let often = try run(every: 1)
        let rarely = try run(every: 60)
        #expect(often.minutes == rarely.minutes)
        #expect(often.world.account.logs.metrics == rarely.world.account.logs.metrics)
        #expect(often.steps.map(\.status) == rarely.steps.map(\.status))
        #expect(often.steps[0].passedAt ?? 99 < rarely.steps[0].passedAt ?? 0)
    }
}
