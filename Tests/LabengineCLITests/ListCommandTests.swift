import Foundation
import Testing

@Suite struct ListCommandTests {
    @Test func versionAndHelp() throws {
        let version = try CLIRunner.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.contains("0.1.0"))
        let help = try CLIRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("list"))
    }

    @Test func listsLabsWithIdAndTitle() throws {
        let result = try CLIRunner.run(["list"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("hello\tHello, world"))
    }

    @Test func aBrokenLabIsReportedWithFileAndLineAndDoesNotHideOthers() throws {
        let result = try CLIRunner.run(["list", "--labs", "broken-labs"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("good\tA good lab"))
        #expect(result.stderr.contains("broken-labs/bad/lab.lua:3:"))
    }

    @Test func aMissingLabsFolderSaysWhereItLooked() throws {
        let result = try CLIRunner.run(["list", "--labs", "no-such-folder"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no-such-folder"))
    }

    @Test func unknownCommandIsAUsageError() throws {
        let result = try CLIRunner.run(["frobnicate"])
        #expect(result.status == 64 || result.status == 2)
    }
}
