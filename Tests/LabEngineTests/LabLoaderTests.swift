import Foundation
import Testing
@testable import LabEngine

/// One test per kind of authoring mistake, each with the message and line the author sees.
@Suite struct LabLoaderTests {
    static let step = #"{ id = "s", title = "S", check = function() return true end }"#

    func expectError(_ source: String, _ fragment: String, line: Int? = nil, plugins: [String: String] = [:],
        extraLabs: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let loader = try scratchLab(source, plugins: plugins, extraLabs: extraLabs)
        do {
            _ = try loader.load("bad")
            Issue.record("expected an error containing \(fragment)", sourceLocation: sourceLocation)
        } catch let error as LabError {
            #expect(error.message.contains(fragment), "\(error)", sourceLocation: sourceLocation)
            if let line { #expect(error.line == line, "\(error)", sourceLocation: sourceLocation) }
            #expect(error.file?.hasSuffix(".lua") == true, sourceLocation: sourceLocation)
        }
    }

    @Test func syntaxError() throws {
        try expectError("return {\n  title = = 'x',\n}", "unexpected symbol", line: 2)
    }

    @Test func notATable() throws { try expectError("return 42", "must return a table") }

    @Test func missingTitle() throws { try expectError("return { steps = { \(Self.step) } }", "no 'title'") }

    @Test func wrongType() throws {
        try expectError("return {\n  title = 'x',\n  minutes = 'ten',\n  steps = { \(Self.step) } }", "'minutes' must be a whole number", line: 3)
    }

    @Test func worldAgeOutOfRange() throws {
        try expectError(
            "return {\n  title = 'x',\n  world_age = -5,\n  steps = { \(Self.step) } }",
            "'world_age' must be a whole number from 0 to 86400", line: 3)
    }

    @Test func unknownField() throws {
        try expectError("return {\n  title = 'x',\n  stpes = {},\n}", "unknown field 'stpes'", line: 3)
    }

    /// Of two bad entries, the first by name is reported, in every process (over twelve
    /// pairs: a dictionary's order is its process's own).
    @Test func ofTwoBadFunctionsTheFirstByNameIsReported() throws {
        for i in 0..<12 {
            try expectError(
                "return { title = 'x', functions = { a\(i) = 'missing.lua', b\(i) = 5 }, steps = { \(Self.step) } }",
                "functions.a\(i): no file missing.lua")
        }
    }

    @Test func noSteps() throws { try expectError("return { title = 'x' }", "has no 'steps'") }

    @Test func duplicateStepID() throws {
        try expectError(
            "return { title = 'x', steps = {\n  { id = \"a\", title = 'A', check = function() end },\n  { id = \"a\", title = 'B', check = function() end },\n} }",
            "duplicate step id 'a'", line: 3)
    }

    @Test func stepWithoutCheck() throws {
        try expectError("return { title = 'x', steps = {\n  { id = \"a\", title = 'A' },\n} }", "step 'a' has no 'check' function", line: 2)
    }

    @Test func missingInstructionsFile() throws {
        try expectError(
            "return { title = 'x', steps = { { id = 'a', title = 'A', instructions = 'nope.md', check = function() end } } }",
            "instructions file nope.md not found")
    }

    @Test func unknownPlugin() throws {
        try expectError("return {\n  title = 'x',\n  plugins = { \"nosuch\" },\n  steps = { \(Self.step) } }", "unknown plugin 'nosuch'", line: 3)
    }

    @Test func pluginVersionMismatch() throws {
        try expectError("return { title = 'x', plugins = { \"testkit@3\" }, steps = { \(Self.step) } }", "needs plugin 'testkit' version 3, but")
    }

    @Test func pluginAPIMismatch() throws {
        try expectError(
            "return { title = 'x', plugins = { 'future' }, steps = { \(Self.step) } }", "needs plugin API 2, but this engine provides API 1",
            plugins: ["future": "return { name = 'future', version = '1', api = 2, register = function() end }"])
    }

    @Test func duplicateRegistrationNamesBothSources() throws {
        let twice = """
            return { name = 'twice', version = '1', api = 1, register = function(r)
              r.check('x', function() end)
              r.check('x', function() end)
            end }
            """
        try expectError("return { title = 'x', plugins = { 'twice' }, steps = { \(Self.step) } }", "'twice.x' is registered twice: by", plugins: ["twice": twice])
    }

    @Test func unknownFailureMode() throws {
        try expectError(
            "return {\n  title = 'x', plugins = { 'testkit' },\n  failures = { { mode = \"testkit.nope\" } },\n  steps = { \(Self.step) } }",
            "unknown failure mode 'testkit.nope' (registered: testkit.boom)", line: 3)
    }

    @Test func unknownScoringRule() throws {
        try expectError(
            "return { title = 'x', plugins = { 'testkit' },\n  scoring = { rule = \"testkit.nope\" },\n  steps = { \(Self.step) } }",
            "unknown scoring rule 'testkit.nope' (registered: testkit.counter)", line: 2)
    }

    @Test func badFailureRate() throws {
        try expectError(
            "return { title = 'x', plugins = { 'testkit' },\n  failures = { { mode = 'testkit.boom', rates = { Fn = 2 } } },\n  steps = { \(Self.step) } }",
            "the rate of Fn must be a probability")
    }

    /// Of two bad rates, the first by function name is reported (twelve pairs, as above).
    @Test func ofTwoBadRatesTheFirstByNameIsReported() throws {
        for i in 0..<12 {
            try expectError(
                "return { title = 'x', plugins = { 'testkit' },\n  failures = { { mode = 'testkit.boom', rates = { a\(i) = 2, b\(i) = 3 } } },\n  steps = { \(Self.step) } }",
                "the rate of a\(i) must be a probability")
        }
    }

    @Test func extendsUnknownLabAndCycles() throws {
        try expectError("return { title = 'x', extends = 'ghost', steps = { \(Self.step) } }", "'extends' names an unknown lab 'ghost'")
        try expectError(
            "return { title = 'x', extends = 'other', steps = { \(Self.step) } }", "'extends' makes a cycle",
            extraLabs: ["other": "return { title = 'o', extends = 'bad', steps = { \(Self.step) } }"])
    }

    @Test func unknownLabListsTheKnownOnes() throws {
        let loader = try scratchLab("return { title = 'x', steps = { \(Self.step) } }")
        #expect(throws: LabError.self) { _ = try loader.load("nosuch") }
        do { _ = try loader.load("nosuch") } catch let error as LabError { #expect(error.message.contains("known labs: bad")) }
    }

    @Test func aFixtureLabLoadsWithEveryFeature() throws {
        let lab = try fixtureLab("tiny")
        #expect(lab.steps.map(\.id) == ["connect", "note"])
        #expect(lab.steps[0].instructions.contains("Add a trigger"))
        #expect(lab.plugins == ["testkit"])
        #expect(lab.failures.first?.kind == .invocationError)
        let child = try fixtureLab("tiny-child")
        #expect(child.parent?.id == "tiny")
        #expect(child.chain.map(\.id) == ["tiny", "tiny-child"])
    }

    // Misspelt fields are found at every level, on the entry's own line, with the nearest name.

    @Test func misspeltStepFieldNamesItsLineAndTheNearestField() throws {
        let lab = "return { title = 'x', steps = {\n  { id = \"a\", title = 'A', check = function() return true end },\n  { id = \"b\", title = 'B',\n    check = function() return true end,\n    hint = { 'x' } },\n} }"
        try expectError(lab, "step 'b': unknown field 'hint'; did you mean 'hints'?", line: 5)
        try expectError(
            "return { title = 'x', steps = {\n  { id = \"a\", title = 'A',\n    instrutions = 'do it',\n    check = function() return true end },\n} }",
            "unknown field 'instrutions'; did you mean 'instructions'?", line: 3)
    }

    @Test func misspeltTopLevelFieldSuggestsTheNearest() throws {
        try expectError("return {\n  title = 'x',\n  descripton = 'y',\n  steps = { \(Self.step) } }", "did you mean 'description'?", line: 3)
    }

    @Test func misspeltFailureEntryField() throws {
        try expectError(
            "return { title = 'x', plugins = { 'testkit' },\n  failures = {\n    { mode = 'testkit.boom',\n      rate = { Echo = 1 } },\n  },\n  steps = { \(Self.step) } }",
            "failure 'testkit.boom': unknown field 'rate'; did you mean 'rates'?", line: 4)
    }

    @Test func unknownFailurePointSuggestsTheNearest() throws {
        try expectError(
            "return { title = 'x', plugins = { 'testkit' },\n  failures = {\n    { mode = 'testkit.boom', rates = {},\n      point = 'betwen' },\n  },\n  steps = { \(Self.step) } }",
            "point 'betwen' is not one of before, between, after, any; did you mean 'between'?", line: 4)
    }

    @Test func unknownScoringParamTheRuleDeclared() throws {
        try expectError(
            "return { title = 'x', plugins = { 'testkit' },\n  scoring = { rule = 'testkit.counter',\n    params = { every = 10,\n      wiat = 5 } },\n  steps = { \(Self.step) } }",
            "the params of scoring rule 'testkit.counter': unknown field 'wiat'; did you mean 'wait'?", line: 4)
    }

    @Test func ratesNamingNoFunctionOfTheWorldAreAnAuthoringError() throws {
        let loader = try scratchLab(
            "return { title = 'x', plugins = { 'testkit' },\n  failures = {\n    { mode = 'testkit.boom',\n      rates = { Ecko = 0.5 } },\n  },\n"
                + "  world = function(aws)\n    local role = aws.iam.create_role{ RoleName = 'r', AssumeRolePolicyDocument = '{}' }.Role.Arn\n    aws.lambda.create_function{ FunctionName = 'Echo', Role = role, Code = { Source = 'return function() end' } }\n  end,\n"
                + "  steps = { \(Self.step) } }")
        let lab = try loader.load("bad")
        do {
            _ = try LabRunner(lab: lab).run(actions: .none, seed: 1, minutes: 1)
            Issue.record("expected an authoring error")
        } catch let error as LabError {
            #expect(error.message.contains("'rates' names Ecko, but the world has no such function; did you mean 'Echo'?"), "\(error)")
            #expect(error.line == 4)
        }
    }

    @Test func aLabRegistersItsOwnScoringRuleAndChecks() throws {
        let loader = try scratchLab("""
            return { title = 'x', minutes = 1, max_score = 10,
              register = function(r)
                r.scoring('flat', function(run, params) run.after(30, function() run.award{ points = params.points } end) end, { params = { 'points' } })
                r.check('always', function(ctx) return true, 'fine' end)
              end,
              scoring = { rule = 'flat', params = { points = 10 } },
              steps = { { id = 's', title = 'S', check = function(ctx) return ctx.plugins.bad.always(ctx) end, solve = function() end } } }
            """)
        let result = try LabRunner(lab: try loader.load("bad")).run(actions: .solution, seed: 1)
        #expect(result.score == 10)
        #expect(result.steps[0].message == "fine")
        #expect(result.passed)
    }

    @Test func hintsAreLevelsOrNamedLevels() throws {
        let plain = try scratchLab("return { title = 'x', steps = { { id = 's', title = 'S', hints = { 'nudge', 'answer' }, check = function() return true end } } }").load("bad")
        #expect(plain.steps[0].hints == [Hint(name: "default", levels: ["nudge", "answer"])])
        let named = try scratchLab("return { title = 'x', steps = { { id = 's', title = 'S', hints = { zeta = { 'z' }, default = { 'd' }, alpha = { 'a' } }, check = function() return true end } } }").load("bad")
        #expect(named.steps[0].hints.map(\.name) == ["default", "alpha", "zeta"])
        try expectError("return { title = 'x', steps = { { id = 's', title = 'S',\n  hints = { a = 'not a list' }, check = function() return true end } } }",
            "'hints' must be a list of levels", line: 2)
    }
}
