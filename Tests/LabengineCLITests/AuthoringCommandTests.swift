import Foundation
import Testing

/// What an author runs: `labengine new` and `labengine test --seeds`.
@Suite struct AuthoringCommandTests {
    @Test func aNewLabPassesItsSelfTestUnderSeveralSeeds() throws {
        let labs = FileManager.default.temporaryDirectory.appendingPathComponent("new-\(UInt64.random(in: 0...UInt64.max))")
        let created = try CLIRunner.run(["new", "greetings", "--labs", labs.path])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(FileManager.default.fileExists(atPath: labs.appendingPathComponent("greetings/lab.lua").path))
        let tested = try CLIRunner.run(["test", "greetings", "--labs", labs.path, "--seeds", "2", "--jobs", "3"])
        #expect(tested.status == 0, "\(tested.stdout)")
        // The runs go side by side; the lines are those of one run after another, in order.
        let serial = try CLIRunner.run(["test", "greetings", "--labs", labs.path, "--seeds", "2", "--jobs", "1"])
        #expect(serial.stdout == tested.stdout)
        // A budget of one megabyte lets one run start at a time: the same lines again.
        let budgeted = try CLIRunner.run(["test", "greetings", "--labs", labs.path, "--seeds", "2", "--jobs", "3", "--memory", "1"])
        #expect(budgeted.stdout == tested.stdout)
        #expect(tested.stdout.contains("ok   greetings: the solved lab reaches its full score (seed 2)"), "\(tested.stdout)")
        #expect(tested.stdout.contains("ok   greetings: scenario wrong_key.lua (a table with the wrong key) (seed 1)"))
        #expect(tested.stdout.contains(" 0 failed"))
        let again = try CLIRunner.run(["new", "greetings", "--labs", labs.path])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))
    }

    @Test func aBrokenCheckFailsTheSelfTest() throws {
        let labs = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UInt64.random(in: 0...UInt64.max))")
        _ = try CLIRunner.run(["new", "typo", "--labs", labs.path])
        let file = labs.appendingPathComponent("typo/lab.lua")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "if #ctx.items(TABLE) == 0", with: "if #ctx.itmes(TABLE) == 0")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let tested = try CLIRunner.run(["test", "typo", "--labs", labs.path])
        #expect(tested.status == 1)
        #expect(tested.stdout.contains("FAIL typo: step 'create-table' passes after its solve — the check is broken"), "\(tested.stdout)")
        #expect(tested.stdout.contains("attempt to call a nil value (field 'itmes')"))
    }
}
