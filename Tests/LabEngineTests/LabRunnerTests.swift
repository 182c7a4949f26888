import CloudSim
import DocumentModel
import Foundation
import Testing
@testable import LabEngine

@Suite struct LabRunnerTests {
    @Test func stepsFailBeforeTheirSolveAndPassAfter() throws {
        let runner = LabRunner(lab: try fixtureLab("tiny"))
        let none = try runner.run(actions: .none, seed: 1)
        #expect(none.steps.map(\.passed) == [false, false])
        #expect(none.steps[0].message == "Echoes has no items yet")
        #expect(none.hint?.levels == ["aws.lambda.create_event_source_mapping{ FunctionName = \"Echo\", … }"])
        let solved = try runner.run(actions: .solution, seed: 1)
        #expect(solved.steps.map(\.passed) == [true, true])
        #expect(solved.passed)
        #expect(solved.minutes.map(\.points) == [50, 50, 50])
    }

    @Test func aPhaseSwitchTurnsTheFailureModeOn() throws {
        let lab = try fixtureLab("tiny")
        let calm = try LabRunner(lab: lab).run(actions: .solution, seed: 1)
        #expect(calm.world.account.logs.metrics["Echo"]?.errors == 0)
        let child = try LabRunner(lab: try fixtureLab("tiny-child")).run(actions: .solution, seed: 1)
        #expect((child.world.account.logs.metrics["Echo"]?.errors ?? 0) > 0)
        #expect(child.minutes.allSatisfy { !$0.exact })
        #expect(child.minutes.first?.detail == "echoed 0 of 5")
    }

    @Test func aChildLabStartsFromItsParentSolved() throws {
        let child = try LabRunner(lab: try fixtureLab("tiny-child")).run(actions: .none, seed: 1)
        let note = try child.world.adminCall("dynamodb", "GetItem", ["TableName": "Echoes", "Key": ["id": ["S": "note"]]])
        #expect(note["Item"] != nil)
        #expect(child.world.account.lambda.mappings.count == 1)
    }

    @Test func checksCannotChangeTheWorld() throws {
        let loader = try scratchLab("""
            return { title = 'x', world = function(aws)
                aws.dynamodb.create_table{ TableName = 'Things', AttributeDefinitions = { { AttributeName = 'id', AttributeType = 'S' } },
                  KeySchema = { { AttributeName = 'id', KeyType = 'HASH' } } }
              end,
              steps = { { id = 'sneaky', title = 'S', check = function(ctx)
                ctx.aws.dynamodb.put_item{ TableName = 'Things', Item = { id = { S = 'x' } } }
                return true
              end, solve = function() end } } }
            """)
        let result = try LabRunner(lab: try loader.load("bad")).run(actions: .none, seed: 1, minutes: 1)
        #expect(result.steps[0].passed == false)
        #expect(result.steps[0].message.contains("checks cannot change the world: dynamodb.PutItem is not allowed in a check"))
        #expect(result.world.account.dynamodb.tables["Things"]?.itemCount == 0)
    }

    @Test func reportsAreByteIdenticalForTheSameSeed() throws {
        let runner = LabRunner(lab: try fixtureLab("tiny"))
        let a = GradeReport(result: try runner.run(actions: .solution, seed: 5)).json()
        let b = GradeReport(result: try runner.run(actions: .solution, seed: 5)).json()
        #expect(a == b)
        #expect(a.contains("\"maxScore\": 100"))
    }

    @Test func aLearnersScriptErrorIsAReportedFailure() throws {
        let file = fixtureFolder.appendingPathComponent("labs/tiny/tests/actions/broken.lua").path
        let result = try LabRunner(lab: try fixtureLab("tiny")).run(actions: .files([file]), seed: 1)
        #expect(!result.passed)
        #expect(result.actionError?.line == 2)
        #expect(result.actionError?.file == file)
        let json = GradeReport(result: result).json()
        #expect(json.contains("\"line\": 2"))
    }
}

@Suite struct FailureInjectionTests {
    /// F makes two writes; the fault happens at `point` on every invocation.
    func writes(afterFaultAt point: String) throws -> (items: Int, errors: Int) {
        let world = World(seed: 1)
        try world.runActions(source: """
            aws.dynamodb.create_table{ TableName = 'Writes', AttributeDefinitions = { { AttributeName = 'id', AttributeType = 'S' } },
              KeySchema = { { AttributeName = 'id', KeyType = 'HASH' } } }
            local role = aws.iam.create_role{ RoleName = 'R', AssumeRolePolicyDocument = '{}' }.Role.Arn
            aws.iam.put_role_policy{ RoleName = 'R', PolicyName = 'p', PolicyDocument = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}' }
            aws.lambda.create_function{ FunctionName = 'F', Role = role, Code = { Source = [[
              return function()
                aws.dynamodb.put_item{ TableName = 'Writes', Item = { id = { S = 'first' } } }
                aws.dynamodb.put_item{ TableName = 'Writes', Item = { id = { S = 'second' } } }
              end ]] } }
            """, chunkName: "setup.lua", baseDirectory: "/")
        let spec = FailureSpec(mode: "test.fault", kind: .invocationError, phase: nil, rates: ["F": 1], rateLines: [:], point: point, file: "lab.lua")
        world.account.lambda.faults = LabFaults(specs: [spec], seed: 1) { nil }
        let result = try world.adminCall("lambda", "Invoke", ["FunctionName": "F"])
        #expect(result["FunctionError"] == "Unhandled")
        return (world.account.dynamodb.tables["Writes"]?.itemCount ?? -1, world.account.logs.metrics["F"]?.errors ?? 0)
    }

    @Test func beforeTheHandlerNothingHappens() throws { #expect(try writes(afterFaultAt: "before") == (0, 1)) }

    @Test func betweenSDKCallsTheFirstWriteHappened() throws { #expect(try writes(afterFaultAt: "between") == (1, 1)) }

    @Test func afterTheHandlerEveryWriteHappened() throws { #expect(try writes(afterFaultAt: "after") == (2, 1)) }

    @Test func aRedeliveredBatchReachesTheFunctionTwice() throws {
        let world = try recordingWorld(mapping: "BatchSize = 10")
        let spec = FailureSpec(mode: "test.dup", kind: .duplicateDelivery, phase: nil, rates: ["F": 1], rateLines: [:], point: nil, file: "lab.lua")
        world.account.lambda.faults = LabFaults(specs: [spec], seed: 1) { nil }
        try put(world, ["a", "b"])
        world.run(for: .seconds(10))
        #expect(try calls(world).map(\.data) == [["a", "b"], ["a", "b"]])
    }

    @Test func injectedThrottlesAreRetriedNotCountedAsErrors() throws {
        let world = try recordingWorld(mapping: "BatchSize = 10")
        let spec = FailureSpec(mode: "test.throttle", kind: .throttle, phase: nil, rates: ["F": 0.5], rateLines: [:], point: nil, file: "lab.lua")
        world.account.lambda.faults = LabFaults(specs: [spec], seed: 2) { nil }
        try put(world, (0..<30).map { "m\($0)" })
        world.run(for: .seconds(60))
        #expect(try calls(world).flatMap(\.data).count == 30)
        #expect((world.account.logs.metrics["F"]?.throttles ?? 0) > 0)
        #expect(world.account.logs.metrics["F"]?.errors == 0)
    }
}

@Suite struct StubTests {
    @Test func theCommittedStubsAreUpToDate() throws {
        let committed = try String(contentsOf: labsFolder.deletingLastPathComponent().appendingPathComponent("docs/api/aws.lua"), encoding: .utf8)
        #expect(committed == Stubs.aws(), "docs/api/aws.lua is stale: run `labengine stubs > docs/api/aws.lua`")
        #expect(committed.contains("function aws.dynamodb.transact_write_items(params) end"))
        #expect(committed.contains("function aws.lambda.put_function_concurrency(params) end"))
    }

    /// Every field of `ctx` and `run` is annotated in docs/api/authoring.lua.
    @Test func theAuthoringStubsNameEveryCtxAndRunField() throws {
        let stubs = try String(contentsOf: labsFolder.deletingLastPathComponent().appendingPathComponent("docs/api/authoring.lua"), encoding: .utf8)
        let state = try LabState(directory: "/", pluginsDirectory: "/")
        for (name, object) in [("Ctx", state.checkContext), ("Run", state.runObject)] {
            let keys = try #require(object.mapValue?.keys)
            #expect(keys.count > 5)
            for key in keys.sorted() where key != "aws" && key != "plugins" {
                #expect(stubs.contains("function \(name).\(key)(") || stubs.contains("\(name).\(key) = {}"), "\(name).\(key) is not annotated")
            }
        }
    }
}
