import DocumentModel
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `labengine serve` for a room of three, as a workshop runs it: the AWS CLI, boto3 and a Lua
/// actions file (`labengine act`) each solve lab 1 in their own account, the clock runs, a
/// real browser (headless Chromium) shows the scoreboard, and each learner's transcript
/// replays to the report the session wrote. `make setup` installs the AWS CLI, boto3 and
/// Chromium; without them this test fails, it does not skip.
@Suite(.serialized) struct ServeTests {
    let root = CLIRunner.packageRoot

    @Test func threeLearnersReachTheirScoresAndTheirTranscriptsReplay() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: temp) }
        let folder = temp.appendingPathComponent("room").path
        let (server, log) = try startServer(
            ["lab1", "--labs", root.appendingPathComponent("labs").path, "--learners", "3", "--paused", "--speed", "1000", "--minutes", "3"],
            in: temp)
        defer { if server.isRunning { server.terminate() } }

        let session = try waitForSession("\(folder)/session.json", server: server, log: log)
        let url = try #require(session["url"]?.stringValue)
        let token = try #require(session["moderatorToken"]?.stringValue)
        #expect(session["learners"]?.arrayValue?.map { $0["account"]?.stringValue } == ["123456789013", "123456789014", "123456789015"])

        // Each learner acts with their own credentials files, while the clock stands still.
        let cli = try shell("bash labs/lab1/solution.sh", as: "learner-1", folder: folder)
        #expect(cli.status == 0, "\(cli.output.suffix(2000))")
        let boto3 = try shell("python3 labs/lab1/solution.py", as: "learner-2", folder: folder)
        #expect(boto3.status == 0, "\(boto3.output.suffix(2000))")
        let lua = try shell(
            "'\(CLIRunner.binary.path)' act --session \(url) --learner learner-3 --credentials '\(folder)/learner-3/credentials' labs/lab1/solution.lua",
            as: nil, folder: folder)
        #expect(lua.status == 0, "\(lua.output.suffix(2000))")

        // Another learner's key, or none, does not reach learner-3's account or the control routes.
        let wrongKey = try shell(
            "'\(CLIRunner.binary.path)' act --session \(url) --learner learner-3 --credentials '\(folder)/learner-1/credentials' labs/lab1/solution.lua",
            as: nil, folder: folder)
        #expect(wrongKey.status == 2 && wrongKey.output.contains("not this learner's"), "\(wrongKey.output)")
        #expect(try post(url + "/control/resume", token: nil).status == 401)

        #expect(try post(url + "/control/resume", token: token).status == 200)
        var board: Document = [:]
        for _ in 0..<1200 {
            board = try Document(jsonBytes: try get(url + "/scoreboard.json").body)
            if board["over"]?.boolValue == true { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(board["over"]?.boolValue == true && board["elapsed"]?.intValue == 180, "\(board)")
        let learners = board["learners"]?.arrayValue ?? []
        #expect(learners.count == 3)
        for learner in learners {
            #expect(learner["score"]?.intValue == 300, "\(learner)")
            #expect(learner["steps"]?.arrayValue?.allSatisfy { $0["passed"]?.boolValue == true } == true, "\(learner)")
        }

        // The page as a browser renders it: script run, feed fetched, a row per learner.
        let dom = try browserDOM(url + "/scoreboard")
        for id in ["learner-1", "learner-2", "learner-3"] {
            guard let row = dom.range(of: "data-learner=\"\(id)\"").map({ dom[$0.upperBound...].prefix { $0 != "\n" } }) else {
                Issue.record("no row for \(id) in the rendered scoreboard: \(dom.suffix(3000))")
                continue
            }
            let rowText = String(row.prefix(through: row.range(of: "</tr>")?.lowerBound ?? row.endIndex))
            #expect(rowText.contains("300 / 300"), "\(rowText)")
            #expect(rowText.components(separatedBy: "class=\"step passed\"").count == 4, "\(rowText)")
        }
        let page = try browserDOM(url + "/learners/learner-2")
        #expect(page.contains("learner-2 · lab1") && page.contains("done at 10 s") && page.contains("No hint: every step is done."), "\(page.suffix(3000))")

        #expect(try post(url + "/control/stop", token: token).status == 200)
        server.waitUntilExit()
        #expect(server.terminationStatus == 0, "\(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self).suffix(2000))")

        for id in ["learner-1", "learner-2", "learner-3"] {
            let live = try String(contentsOfFile: "\(folder)/\(id)/report.json", encoding: .utf8)
            let replay = try CLIRunner.run(
                ["grade", "lab1", "--labs", root.appendingPathComponent("labs").path, "--transcript", "\(folder)/\(id)/transcript.jsonl", "--format", "json"])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(replay.stderr.isEmpty, "\(replay.stderr)")
            #expect(replay.stdout == live, "\(id): the replay's report differs from the session's")
        }
    }

    /// Open to a classroom's network: a warning, pages without keys, credentials only their
    /// owner may read, and Ctrl-C (SIGINT) still ends the session with its reports.
    @Test func aPublicSessionHidesKeysAndEndsCleanlyOnAnInterrupt() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("serve-public-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        let folder = temp.appendingPathComponent("room").path
        let (server, log) = try startServer(
            ["tiny", "--labs", CLIRunner.fixtures.appendingPathComponent("labs").path, "--learners", "2", "--host", "0.0.0.0", "--paused"], in: temp)
        defer { if server.isRunning { server.terminate() } }
        let session = try waitForSession("\(folder)/session.json", server: server, log: log)
        let port = try #require(session["url"]?.stringValue.flatMap { URL(string: $0)?.port })
        let local = "http://127.0.0.1:\(port)"
        let view = try Document(jsonBytes: try get(local + "/learners/learner-1.json").body)
        #expect(view["account"]?.stringValue == "123456789013")
        #expect(view["accessKeyId"] == nil && view["credentialsFile"] == nil, "\(view)")
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(folder)/learner-1/credentials")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try get(local + "/learners/nobody.json").status == 404)
        #expect(try post(local + "/control/advance?seconds=30", token: session["moderatorToken"]?.stringValue).status == 200)

        kill(server.processIdentifier, SIGINT)
        server.waitUntilExit()
        let output = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
        #expect(server.terminationStatus == 0, "\(output)")
        #expect(output.contains("labengine: warning: listening on 0.0.0.0"), "\(output)")
        // Without a terminal the serve view prints plain lines, a block each virtual minute and at the end.
        #expect(output.contains("tiny t=30s of 3600s") && output.contains("1. learner-"), "\(output)")
        #expect(!output.contains("\u{1B}["), "no terminal escapes in a log")
        for id in ["learner-1", "learner-2"] {
            let transcript = try String(contentsOfFile: "\(folder)/\(id)/transcript.jsonl", encoding: .utf8)
            #expect(transcript.hasSuffix("{\"end\":30}\n"), "\(transcript)")
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(id)/report.json"))
        }
    }

    @Test func badLearnerFilesAndTranscriptsAreNamedWithTheirLine() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("serve-bad-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        let names = temp.appendingPathComponent("room.txt")
        try "alice\nbob\nalice\n".write(to: names, atomically: true, encoding: .utf8)
        let serve = try CLIRunner.run(["serve", "lab1", "--labs", root.appendingPathComponent("labs").path, "--learners", names.path, "--dir", temp.path])
        #expect(serve.status == 2 && serve.stderr.contains("\(names.path):3: 'alice' is already on line 1"), "\(serve.stderr)")

        let transcript = temp.appendingPathComponent("t.jsonl")
        try "{\"transcript\":1,\"lab\":\"lab1\",\"learner\":\"a\",\"account\":\"123456789013\",\"seed\":1,\"minutes\":1}\n{\"t\":3}\n"
            .write(to: transcript, atomically: true, encoding: .utf8)
        let grade = try CLIRunner.run(["grade", "lab1", "--labs", root.appendingPathComponent("labs").path, "--transcript", transcript.path])
        #expect(grade.status == 2 && grade.stderr.contains("\(transcript.path):2: a request line needs"), "\(grade.stderr)")
        let mixed = try CLIRunner.run(["grade", "lab1", "--labs", root.appendingPathComponent("labs").path, "--transcript", transcript.path, "--solution"])
        #expect(mixed.status == 2 && mixed.stderr.contains("--transcript replays a session as it was"), "\(mixed.stderr)")
    }

    // MARK: Helpers

    /// Starts `labengine serve ARGUMENTS --port 0 --dir TEMP/room`, its output in TEMP/serve.log.
    private func startServer(_ arguments: [String], in temp: URL) throws -> (Process, URL) {
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        let server = Process()
        server.executableURL = CLIRunner.binary
        server.arguments = ["serve"] + arguments + ["--port", "0", "--dir", temp.appendingPathComponent("room").path]
        let log = temp.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        server.standardOutput = try FileHandle(forWritingTo: log)
        server.standardError = server.standardOutput
        try server.run()
        return (server, log)
    }

    private func waitForSession(_ path: String, server: Process, log: URL) throws -> Document {
        for _ in 0..<600 {
            if let data = FileManager.default.contents(atPath: path), let session = try? Document(jsonBytes: Array(data)) { return session }
            if !server.isRunning { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure("serve did not start: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")
    }

    /// Runs a command in the package root as a learner does: the host's AWS variables gone,
    /// the learner's config and credentials files in their place.
    private func shell(_ command: String, as learner: String?, folder: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        if let learner {
            environment["AWS_CONFIG_FILE"] = "\(folder)/\(learner)/config"
            environment["AWS_SHARED_CREDENTIALS_FILE"] = "\(folder)/\(learner)/credentials"
            environment["AWS_PAGER"] = ""
        }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The DOM after the page's script ran (Chromium's virtual time lets its fetches finish).
    private func browserDOM(_ url: String) throws -> String {
        let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let browser else { throw Failure("no Chromium: make setup installs Debian's chromium for this test") }
        let out = try shell(
            "'\(browser)' --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 --dump-dom '\(url)' 2>/dev/null", as: nil, folder: "")
        return out.output
    }

    private func get(_ url: String) throws -> (status: Int, body: [UInt8]) { try request(url, method: "GET", token: nil) }
    private func post(_ url: String, token: String?) throws -> (status: Int, body: [UInt8]) { try request(url, method: "POST", token: token) }

    private func request(_ url: String, method: String, token: String?) throws -> (status: Int, body: [UInt8]) {
        guard let target = URL(string: url) else { throw Failure("bad URL \(url)") }
        var request = URLRequest(url: target, timeoutInterval: 300)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, [UInt8])?
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, Array(data ?? Data()))
            done.signal()
        }.resume()
        done.wait()
        guard let result else { throw Failure("no answer from \(url)") }
        return result
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
