import CloudSim
import DocumentModel
import Foundation
import LabEngine
@testable import LiveSession
import WireProtocols
import Testing

/// The CLI tests' fixture labs (the tiny lab runs in milliseconds).
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("LabengineCLITests/Fixtures")

func tinyRoom(learners: Int = 2, configure: (inout Room.Options) -> Void = { _ in }) throws -> Room {
    let catalog = LabCatalog(directory: fixtures.appendingPathComponent("labs").path)
    var options = Room.Options()
    options.minutes = 1
    options.paused = true
    options.directory = FileManager.default.temporaryDirectory.appendingPathComponent("room-\(UUID().uuidString)").path
    configure(&options)
    return try Room(load: { try LabLoader(catalog: catalog).load("tiny") }, roster: try Roster.numbered(learners, baseAccount: "123456789012"), options: options)
}

/// A DynamoDB PutItem as boto3 sends it, signed with `credentials`.
func signedPutItem(_ id: String, credentials: WireCredentials) -> WireRequest {
    let body = #"{"TableName":"Echoes","Item":{"id":{"S":"\#(id)"}}}"#
    let request = WireRequest(
        method: "POST", target: "/",
        headers: [("Host", "127.0.0.1"), ("X-Amz-Target", "DynamoDB_20120810.PutItem"), ("Content-Type", "application/x-amz-json-1.0")],
        body: Array(body.utf8))
    return SignatureV4.sign(request, credentials: credentials, region: "us-west-2", service: "dynamodb", at: Date().timeIntervalSince1970)
}

@Suite struct RoomTests {
    /// The point of transcripts: what a learner did live, replayed at its virtual times with
    /// the session's seed, gives the same report, byte for byte.
    @Test func replayingATranscriptGivesTheSessionsReport() throws {
        // Two threads run the learners' seconds, as `serve` does on this machine's cores.
        let room = try tinyRoom { $0.threads = 2 }
        let actions = """
            local account = aws.sts.get_caller_identity{}.Account
            aws.lambda.create_event_source_mapping{ FunctionName = "Echo", StartingPosition = "TRIM_HORIZON",
              EventSourceArn = "arn:aws:kinesis:us-west-2:" .. account .. ":stream/Input" }
            at(25, function() aws.dynamodb.put_item{ TableName = "Echoes", Item = { id = { S = "note" } } } end)
            print("connected " .. account)
            """
        room.advance(7)
        let (output, error) = room.act("learner-1", source: actions, file: "mine.lua")
        #expect(error == nil)
        #expect(output == ["mine.lua:5: connected 123456789013"])
        room.advance(20)
        // A refused call is part of the transcript too: the replay must refuse it at the same point.
        #expect(room.act("learner-1", source: #"aws.dynamodb.delete_table{ TableName = "Nope" }"#, file: "bad.lua").error != nil)
        room.advance(33)
        room.finish()

        let folder = "\(room.options.directory)/learner-1"
        let live = try String(contentsOfFile: "\(folder)/report.json", encoding: .utf8)
        let transcript = try Transcript.read(file: "\(folder)/transcript.jsonl")
        #expect(transcript.end == 60)
        #expect(transcript.entries.map(\.seconds) == [7, 25, 27])
        #expect(transcript.entries.map(\.operation) == ["CreateEventSourceMapping", "PutItem", "DeleteTable"])
        #expect(transcript.entries.last?.error == "ResourceNotFoundException")
        let lab = try LabLoader(catalog: LabCatalog(directory: fixtures.appendingPathComponent("labs").path)).load("tiny")
        let replay = try TranscriptReplay(lab: lab, transcript: transcript).run()
        #expect(replay.divergences == [])
        #expect(GradeReport(result: replay.result).json() == live)
        #expect(live.contains(#""passedAt": 30,"#), "\(live)")
    }

    /// A learner's key reaches their own account only.
    @Test func aKeyReachesOnlyItsOwnAccount() throws {
        let room = try tinyRoom()
        guard let one = room.identity("learner-1"), let two = room.identity("learner-2") else { Issue.record("no learners"); return }
        #expect(one.accountID != two.accountID)
        #expect(one.credentials != two.credentials)
        let response = room.respondAWS(signedPutItem("mine", credentials: one.credentials))
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let items = { (seat: Int) in try room.seats[seat].session.world.account.call("dynamodb", "Scan", ["TableName": "Echoes"])["Count"]?.intValue }
        #expect(try items(0) == 1)
        #expect(try items(1) == 0)
        // A key no learner has is AWS's unknown-key error.
        let stranger = room.respondAWS(signedPutItem("x", credentials: WireCredentials(accessKeyID: "AKIANOBODY", secretAccessKey: "s")))
        #expect(stranger.status == 400)
        #expect(String(decoding: stranger.body, as: UTF8.self).contains("UnrecognizedClientException"))
    }

    /// Over its rate a learner gets AWS's throttling error (botocore backs off on it), saying which limit.
    @Test func requestsOverTheRateAreThrottled() throws {
        let room = try tinyRoom(learners: 1) { $0.requestsPerSecond = 1 }
        guard let key = room.identity("learner-1")?.credentials else { Issue.record("no learner"); return }
        let statuses = (0..<3).map { room.respondAWS(signedPutItem("i\($0)", credentials: key)) }
        #expect(statuses.map(\.status) == [200, 200, 400])
        let body = String(decoding: statuses[2].body, as: UTF8.self)
        #expect(body.contains("ThrottlingException") && body.contains("1 requests per second per learner"), "\(body)")
        // Refused requests never reach the account, so they are not in the transcript.
        #expect(try room.seats[0].session.world.account.call("dynamodb", "Scan", ["TableName": "Echoes"])["Count"]?.intValue == 2)
    }

    /// Listening beyond loopback, the pages show no keys.
    @Test func publicPagesShowNoKeys() throws {
        let local = try tinyRoom(learners: 1)
        #expect(local.learnerView("learner-1")?["accessKeyId"] != nil)
        let open = try tinyRoom(learners: 1) { $0.publicHost = true }
        let view = try #require(open.learnerView("learner-1"))
        #expect(view["accessKeyId"] == nil)
        #expect(view["credentialsFile"] == nil)
        let secret = try #require(open.identity("learner-1")).credentials.secretAccessKey
        #expect(!(try view.jsonText().contains(secret)))
        #expect(!(try open.scoreboard().jsonText().contains(secret)))
    }

    /// A learner page shows the checklist with what each check says is missing, and the hint that fits.
    @Test func theLearnerViewShowsTheChecklistAndHint() throws {
        let room = try tinyRoom(learners: 1)
        room.advance(10)
        let view = try #require(room.learnerView("learner-1"))
        let steps = try #require(view["steps"]?.arrayValue)
        #expect(steps.map { $0["id"]?.stringValue } == ["connect", "note"])
        #expect(steps.first?["message"]?.stringValue == "Echoes has no items yet")
        #expect(view["hint"]?["step"]?.stringValue == "connect")
        #expect(room.learnerView("nobody") == nil)
    }

    /// Control routes need the moderator's token; act needs the learner's own signature.
    @Test func routesRefuseWhoeverIsNotAllowed() throws {
        let room = try tinyRoom()
        let routes = RoomRoutes(room: room) {}
        func post(_ target: String, _ headers: [(String, String)] = [], body: String = "") -> WireResponse {
            routes.respond(WireRequest(method: "POST", target: target, headers: headers, body: Array(body.utf8)))
        }
        #expect(post("/control/advance?seconds=5").status == 401)
        #expect(post("/control/advance?seconds=5", [("Authorization", "Bearer wrong")]).status == 401)
        let bearer = [("Authorization", "Bearer \(room.moderatorToken)")]
        #expect(post("/control/advance?seconds=0", bearer).status == 400)
        #expect(post("/control/rewind", bearer).status == 404)
        #expect(post("/control/advance?seconds=5", bearer).status == 200)
        #expect(room.scoreboard()["elapsed"]?.intValue == 5)

        guard let one = room.identity("learner-1"), let two = room.identity("learner-2") else { Issue.record("no learners"); return }
        func act(_ learner: String, signedBy key: WireCredentials?, service: String = "labengine") -> WireResponse {
            var request = WireRequest(
                method: "POST", target: "/learners/\(learner)/actions", headers: [("Host", "127.0.0.1")], body: Array("print('hi')".utf8))
            if let key { request = SignatureV4.sign(request, credentials: key, region: "us-west-2", service: service, at: Date().timeIntervalSince1970) }
            return routes.respond(request)
        }
        #expect(act("learner-1", signedBy: nil).status == 403)
        #expect(act("learner-1", signedBy: two.credentials).status == 403)
        #expect(act("learner-1", signedBy: one.credentials, service: "dynamodb").status == 403)
        #expect(act("nobody", signedBy: one.credentials).status == 404)
        let ok = act("learner-1", signedBy: one.credentials)
        #expect(ok.status == 200)
        #expect(try Document(jsonBytes: ok.body)["output"] == ["actions.lua:1: hi"])
    }

    /// A session's learner acts from another machine: SourceFile may not read the session's files.
    @Test func actionsCannotReadTheSessionsFiles() throws {
        let room = try tinyRoom(learners: 1)
        let (_, error) = room.act(
            "learner-1", source: #"aws.lambda.update_function_code{ FunctionName = "Echo", SourceFile = "/etc/passwd" }"#, file: "steal.lua")
        #expect(error?.contains("cannot be read in a live session") == true, "\(error ?? "no error")")
    }

    /// An act that loops forever stops at its budget instead of holding the room.
    @Test func anEndlessActStopsAtItsBudget() throws {
        let room = try tinyRoom(learners: 1)
        let (_, error) = room.act("learner-1", source: "while true do end", file: "loop.lua")
        #expect(error?.contains("loop.lua:1") == true, "\(error ?? "no error")")
        room.advance(1)
        #expect(room.scoreboard()["elapsed"]?.intValue == 1)
    }

    /// A learner whose functions use more CPU than the lab allows (the tiny lab: 1 s a minute)
    /// has their world stopped, and their page says why; the others' worlds go on.
    @Test func aLearnerOverTheCPUBudgetStopsAlone() throws {
        let room = try tinyRoom(learners: 2)
        let connect = """
            local account = aws.sts.get_caller_identity{}.Account
            aws.lambda.create_event_source_mapping{ FunctionName = "Echo", StartingPosition = "TRIM_HORIZON",
              EventSourceArn = "arn:aws:kinesis:us-west-2:" .. account .. ":stream/Input" }
            """
        let hog = #"aws.lambda.update_function_code{ FunctionName = "Echo", Source = "return function() local s = 'x' while true do s = s .. s end end" }"#
        #expect(room.act("learner-1", source: hog + "\n" + connect, file: "hog.lua").error == nil)
        #expect(room.act("learner-2", source: connect, file: "ok.lua").error == nil)
        room.advance(60)
        let stopped = try #require(room.learnerView("learner-1")?["failure"]?.stringValue)
        #expect(stopped.contains("more than this lab allows (1 s a virtual minute for all functions together); Echo used"), "\(stopped)")
        #expect(room.learnerView("learner-2")?["failure"] == nil)
        #expect(room.scoreboard()["elapsed"]?.intValue == 60)
        // The transcript replays to the same stop and report (and the replay ends there).
        room.finish()
        let folder = "\(room.options.directory)/learner-1"
        let live = try String(contentsOfFile: "\(folder)/report.json", encoding: .utf8)
        #expect(live.contains("\"stopped\""))
        let lab = try LabLoader(catalog: LabCatalog(directory: fixtures.appendingPathComponent("labs").path)).load("tiny")
        let replay = try TranscriptReplay(lab: lab, transcript: try Transcript.read(file: "\(folder)/transcript.jsonl")).run()
        #expect(GradeReport(result: replay.result).json() == live)
    }

    /// The session stops at its length; later calls are not recorded after the end line.
    @Test func theSessionEndsAtItsLength() throws {
        let room = try tinyRoom(learners: 1)
        room.advance(500)
        #expect(room.scoreboard()["elapsed"]?.intValue == 60)
        #expect(room.scoreboard()["over"]?.boolValue == true)
        _ = room.act("learner-1", source: #"aws.dynamodb.put_item{ TableName = "Echoes", Item = { id = { S = "late" } } }"#, file: "late.lua")
        let transcript = try Transcript.read(file: "\(room.options.directory)/learner-1/transcript.jsonl")
        #expect(transcript.end == 60)
        #expect(transcript.entries == [])
    }
}
