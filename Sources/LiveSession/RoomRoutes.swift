import DocumentModel
import Foundation
import WireProtocols

/// The session's HTTP routes in front of the AWS endpoint: the scoreboard and learner pages
/// with their JSON feeds, `labengine act`'s actions route, and the moderator's control routes.
/// Everything else is an AWS request.
package struct RoomRoutes: Sendable {
    package let room: Room
    /// Tells the serving process to end (after `/control/stop`).
    package let onStop: @Sendable () -> Void

    /// The largest actions file `act` may send.
    static let maxActionsBytes = 1 << 20

    package init(room: Room, onStop: @escaping @Sendable () -> Void) {
        self.room = room
        self.onStop = onStop
    }

    package func respond(_ request: WireRequest) -> WireResponse {
        let path = request.path
        switch (request.method, path) {
        case ("GET", "/"):
            return WireResponse(status: 302, headers: [("Location", "/scoreboard")], body: [])
        case ("GET", "/scoreboard"):
            return Self.page(Pages.scoreboard)
        case ("GET", "/scoreboard.json"):
            return Self.json(room.scoreboard())
        case ("GET", "/favicon.ico"):
            return WireResponse(status: 204, headers: [], body: [])
        default: break
        }
        if path.hasPrefix("/learners/") { return learnerRoute(request, String(path.dropFirst("/learners/".count))) }
        if path.hasPrefix("/control/") { return controlRoute(request, String(path.dropFirst("/control/".count))) }
        return room.respondAWS(request)
    }

    private func learnerRoute(_ request: WireRequest, _ rest: String) -> WireResponse {
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (request.method, parts.count) {
        case ("GET", 1) where parts[0].hasSuffix(".json"):
            guard let view = room.learnerView(String(parts[0].dropLast(5))) else { return Self.problem(404, "no learner '\(parts[0].dropLast(5))'") }
            return Self.json(view)
        case ("GET", 1):
            guard room.identity(parts[0]) != nil else { return Self.problem(404, "no learner '\(parts[0])'") }
            return Self.page(Pages.learner)
        case ("POST", 2) where parts[1] == "actions":
            return act(request, learner: parts[0])
        default:
            return Self.problem(404, "no such page: \(request.method) /learners/\(rest)")
        }
    }

    private func act(_ request: WireRequest, learner: String) -> WireResponse {
        guard room.identity(learner) != nil else { return Self.problem(404, "no learner '\(learner)'") }
        if let problem = room.authenticate(request, as: learner) { return Self.problem(403, problem) }
        guard request.body.count <= Self.maxActionsBytes else {
            return Self.problem(413, "an actions file may have at most \(Self.maxActionsBytes) bytes; this one has \(request.body.count)")
        }
        let file = request.header("X-Labengine-File").flatMap { $0.isEmpty ? nil : $0 } ?? "actions.lua"
        let (output, error) = room.act(learner, source: String(decoding: request.body, as: UTF8.self), file: file)
        return Self.json(["output": .array(output.map { .string($0) }), "error": error.map { .string($0) } ?? .null])
    }

    private func controlRoute(_ request: WireRequest, _ action: String) -> WireResponse {
        guard request.method == "POST" else { return Self.problem(405, "control routes take POST") }
        let token = request.header("Authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let token, Self.sameText(token, room.moderatorToken) else {
            return Self.problem(401, "control routes need the moderator's token: Authorization: Bearer <token> (printed by labengine serve)")
        }
        switch action {
        case "pause": room.pause()
        case "resume": room.resume()
        case "advance":
            let seconds = FormEncoding.pairs(request.query).first { $0.0 == "seconds" }.flatMap { Int($0.1) }
            guard let seconds, (1...86_400).contains(seconds) else { return Self.problem(400, "advance needs ?seconds=N, from 1 to 86400") }
            room.advance(seconds)
        case "stop":
            room.stop()
            onStop()
        default:
            return Self.problem(404, "no control route '\(action)': pause, resume, advance?seconds=N or stop")
        }
        return Self.json(room.scoreboard())
    }

    static func json(_ value: Document, status: Int = 200) -> WireResponse {
        WireResponse(
            status: status, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
            body: Array(((try? value.jsonText()) ?? "{}").utf8))
    }

    static func problem(_ status: Int, _ message: String) -> WireResponse {
        json(["error": .string(message)], status: status)
    }

    static func page(_ html: String) -> WireResponse {
        WireResponse(
            status: 200,
            headers: [
                ("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                // The pages load nothing from elsewhere and run only their own script.
                ("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"),
            ],
            body: Array(html.utf8))
    }

    /// Compares secrets without stopping at the first difference.
    private static func sameText(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
