import DocumentModel
import Foundation
import WireProtocols

/// How a learner's command waits in virtual time: its `sleep` (a program first on its
/// `PATH`) and Python's `time.sleep` (patched by a `sitecustomize` module on its
/// `PYTHONPATH`, so boto3 scripts, botocore's retries and the AWS CLI's waiters take part)
/// ask the endpoint to let the seconds pass on the world's clock, and return at once. A
/// script that polls until a mapping is `Enabled` then waits as it would on AWS, and its
/// run is as deterministic as the rest (its requests and sleeps decide the clock, never
/// the wall's).
struct VirtualSleep {
    /// The endpoint's path for a sleep, outside every AWS service's paths.
    static let path = "/_labengine/sleep"
    /// The header that proves a sleep comes from the command (another local process cannot
    /// move the run's clock).
    static let tokenHeader = "X-Labengine-Token"

    let token = UUID().uuidString
    /// The folder with the `sleep` program and the Python modules.
    let folder: URL

    /// Writes the programs into a new temporary folder.
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("labengine-clock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.clockModule.write(to: folder.appendingPathComponent("labengine_clock.py"), atomically: true, encoding: .utf8)
        try Self.siteModule.write(to: folder.appendingPathComponent("sitecustomize.py"), atomically: true, encoding: .utf8)
        let program = folder.appendingPathComponent("sleep")
        try Self.sleepProgram.write(to: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// `environment` with the programs first on `PATH` and `PYTHONPATH`, and what they need to reach `endpoint`.
    func environment(_ environment: [String: String], endpoint: String) -> [String: String] {
        var env = environment
        env["PATH"] = [folder.path, env["PATH"]].compactMap { $0 }.joined(separator: ":")
        env["PYTHONPATH"] = [folder.path, env["PYTHONPATH"]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ":")
        env["LABENGINE_SLEEP_URL"] = endpoint + Self.path
        env["LABENGINE_SLEEP_TOKEN"] = token
        return env
    }

    /// The answer to a sleep request, or nil when `request` is not one.
    /// - Parameter wait: lets the seconds pass; its error is the answer's message.
    func respond(to request: WireRequest, wait: (Double) throws -> Void) -> WireResponse? {
        guard request.path == Self.path else { return nil }
        func answer(_ status: Int, _ text: String) -> WireResponse {
            WireResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
        }
        guard request.method == "POST", request.header(Self.tokenHeader) == token else { return answer(403, "not this command's clock") }
        let text = String(decoding: request.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let seconds = Double(text) else { return answer(400, "sleep needs a number of seconds, not '\(text)'") }
        do {
            try wait(seconds)
            return answer(200, "ok")
        } catch let error as any CodedError {
            return answer(400, error.message)
        } catch {
            return answer(400, "\(error)")
        }
    }

    static let clockModule = #"""
        """labengine: sleeping lets the run's virtual time pass, instead of wall time."""
        import os


        def sleep(seconds):
            """Asks labengine's endpoint to let `seconds` pass on the run's clock."""
            import http.client
            import urllib.parse

            seconds = float(seconds)
            if seconds < 0:
                raise ValueError("sleep length must be non-negative")
            url = urllib.parse.urlsplit(os.environ["LABENGINE_SLEEP_URL"])
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
            try:
                connection.request("POST", url.path, body=repr(seconds),
                                   headers={"X-Labengine-Token": os.environ.get("LABENGINE_SLEEP_TOKEN", "")})
                response = connection.getresponse()
                text = response.read().decode("utf-8", "replace")
            finally:
                connection.close()
            if response.status != 200:
                raise RuntimeError("labengine: " + text)


        def install():
            """Makes time.sleep virtual in this process."""
            import time

            if os.environ.get("LABENGINE_SLEEP_URL"):
                time.sleep = sleep
        """#

    static let siteModule = #"""
        # labengine: time.sleep in learners' Python (boto3 scripts, the AWS CLI) is virtual.
        import labengine_clock

        labengine_clock.install()
        """#

    /// `sleep NUMBER[SUFFIX]...` as coreutils reads it (s, m, h, d; several are summed).
    static let sleepProgram = #"""
        #!/usr/bin/env python3
        """labengine's sleep: the seconds pass on the run's virtual clock."""
        import sys

        import labengine_clock

        UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        total = 0.0
        try:
            if len(sys.argv) < 2:
                raise ValueError("missing operand")
            for argument in sys.argv[1:]:
                unit = UNITS.get(argument[-1:], None)
                number = argument[:-1] if unit else argument
                total += float(number) * (unit or 1)
            labengine_clock.sleep(total)
        except (ValueError, RuntimeError) as error:
            print("sleep: %s" % error, file=sys.stderr)
            sys.exit(1)
        """#
}
