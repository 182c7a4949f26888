import Foundation
import Testing
@testable import LabEngine

/// A lab's scenarios: authoring mistakes in them are errors, and they can assert on what
/// happened in the world.
@Suite struct ScenarioTests {
    /// Runs a scenario file with this text in a copy of the `tiny` fixture lab's tests folder.
    func outcomes(_ text: String, files: [String: String] = [:]) throws -> [Scenario.Outcome] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("actions"), withIntermediateDirectories: true)
        let file = root.appendingPathComponent("case.lua")
        try text.write(to: file, atomically: true, encoding: .utf8)
        for (name, body) in files { try body.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return Scenario.run(file.path, lab: try fixtureLab("tiny"), commands: nil)
    }

    @Test func aMissingActionsFileIsAnAuthoringErrorWhateverTheScenarioExpects() throws {
        let result = try outcomes("return {\n  actions = { \"actions/nope.lua\" },\n  expect = { passed = false },\n}")
        #expect(result.count == 1)
        let failure = result[0].failures.joined()
        #expect(failure.contains("authoring error") && failure.contains("case.lua:2: the actions file actions/nope.lua does not exist"), "\(failure)")
    }

    @Test func misspeltScenarioFieldsAreReportedWithLineAndNearestName() throws {
        let top = try outcomes("return {\n  descripton = 'x',\n  expect = { passed = true },\n}")
        #expect(top[0].failures.joined().contains("case.lua:2: the scenario: unknown field 'descripton'; did you mean 'description'?"), "\(top[0].failures)")
        let expect = try outcomes("return {\n  solved_steps = 2,\n  expect = {\n    scor = 150,\n  },\n}")
        #expect(expect[0].failures.joined().contains("case.lua:4: expect: unknown field 'scor'; did you mean 'score'?"), "\(expect[0].failures)")
        let step = try outcomes("return { solved_steps = 2,\n  expect = { steps = {\n    conect = { passed = true } } } }")
        #expect(step[0].failures.joined().contains("names step 'conect', which the lab does not have; did you mean 'connect'?"), "\(step[0].failures)")
    }

    /// A value of the wrong type is refused, not read as absent (its assertion would never be made).
    @Test func expectationsOfTheWrongTypeAreAnAuthoringError() throws {
        let stopped = try outcomes("return {\n  expect = {\n    stopped = true,\n  },\n}")
        #expect(stopped[0].failures.joined().contains("case.lua:3: expect.stopped must be a string, not a boolean"), "\(stopped[0].failures)")
        let score = try outcomes("return {\n  expect = {\n    score = 'all',\n  },\n}")
        #expect(score[0].failures.joined().contains("case.lua:3: expect.score must be a whole number, not a string"), "\(score[0].failures)")
    }

    @Test func solvedStepsBeyondTheLabAreAnAuthoringError() throws {
        let result = try outcomes("return {\n  solved_steps = 5,\n  expect = { passed = true },\n}")
        #expect(result[0].failures.joined().contains("case.lua:2: solved_steps is 5, but the lab has 2 steps"), "\(result[0].failures)")
    }

    @Test func assertionsOnLogsItemsAndMetricsHoldWhenTrue() throws {
        let result = try outcomes("""
            return { solved_steps = 2, expect = {
              passed = true,
              items = { Echoes = { at_least = 2, has = { id = "note" } } },
              metrics = { Echo = { invocations = { at_least = 1 }, errors = { at_most = 0 } } },
              logs = { Echo = { contains = "START RequestId", lacks = "[ERROR]" } },
            } }
            """)
        #expect(result[0].failures.isEmpty, "\(result[0].failures)")
    }

    @Test func assertionsOnLogsItemsAndMetricsFailWhenFalse() throws {
        let result = try outcomes("""
            return { solved_steps = 1, expect = {
              items = { Echoes = { count = 1000, has = { id = "note" } }, Nothing = { at_least = 0 } },
              metrics = { Echo = { invocations = { at_most = 0 } } },
              logs = { Echo = { contains = "no such text", lacks = "START" } },
            } }
            """)
        let failures = result[0].failures
        #expect(failures.contains { $0.hasPrefix("expected Echoes to hold 1000 items") }, "\(failures)")
        #expect(failures.contains { $0.contains("expected Echoes to hold an item with {\"id\":\"note\"}") }, "\(failures)")
        #expect(failures.contains { $0 == "expected table Nothing, but the account has no such table" }, "\(failures)")
        #expect(failures.contains { $0.hasPrefix("expected Echo's invocations to be at most 0, it is ") }, "\(failures)")
        #expect(failures.contains { $0.hasPrefix("expected Echo's log to contain \"no such text\"") }, "\(failures)")
        #expect(failures.contains { $0.hasPrefix("expected Echo's log to lack \"START\"") }, "\(failures)")
    }

    @Test func misspeltMetricIsAnAuthoringError() throws {
        let result = try outcomes("return { expect = {\n  metrics = { Echo = {\n    invocatons = { at_least = 1 } } } } }")
        #expect(result[0].failures.joined().contains("unknown field 'invocatons'; did you mean 'invocations'?"), "\(result[0].failures)")
    }

    @Test func aScenarioWithoutASeedRunsUnderTheGivenOne() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("case.lua")
        try "return { solved_steps = 2, expect = { passed = true } }".write(to: file, atomically: true, encoding: .utf8)
        let lab = try fixtureLab("tiny")
        #expect(Scenario.run(file.path, lab: lab, seed: 7, commands: nil)[0].failures.isEmpty)
    }
}
