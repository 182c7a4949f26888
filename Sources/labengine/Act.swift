import ArgumentParser
import DocumentModel
import Foundation
import WireProtocols

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension Labengine {
    struct Act: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Runs a Lua actions file in your account of a live session (labengine serve).",
            discussion: """
                The request is signed with your key (Signature Version 4), read from --credentials, \
                AWS_SHARED_CREDENTIALS_FILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. It runs between two \
                virtual seconds; at(seconds, fn) in the file runs fn when the session's clock gets there. \
                Exit codes: 0 done, 1 the actions stopped with an error, 2 usage or connection errors.
                """)

        @Option(name: .long, help: "The session's URL (http://127.0.0.1:4599).") var session: String
        @Option(name: .long, help: "Your learner name.") var learner: String
        @Option(name: .long, help: "An AWS CLI credentials file with your key.") var credentials: String?
        @Option(name: .long, help: "The profile in the credentials file.") var profile = "default"
        @Argument(help: "The actions file (Lua).") var file: String

        func run() throws {
            guard let source = FileManager.default.contents(atPath: file) else {
                Diagnostics.error("cannot read the actions file '\(file)'")
                throw ExitCode(2)
            }
            let keys = try loadCredentials()
            let base = session.hasSuffix("/") ? String(session.dropLast()) : session
            guard let host = URL(string: base).flatMap({ url in url.host.map { h in url.port.map { "\(h):\($0)" } ?? h } }) else {
                Diagnostics.error("--session must be the session's URL, like http://127.0.0.1:4599")
                throw ExitCode(2)
            }
            let encodedLearner = learner.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))) ?? learner
            let view = try fetch(WireRequest(method: "GET", target: "/learners/\(encodedLearner).json", headers: [], body: []), base: base)
            guard view.status == 200, let region = (try? Document(jsonBytes: view.body))?["region"]?.stringValue else {
                Diagnostics.error("the session has no learner '\(learner)': \(Self.message(view))")
                throw ExitCode(2)
            }
            let unsigned = WireRequest(
                method: "POST", target: "/learners/\(encodedLearner)/actions",
                headers: [("Host", host), ("Content-Type", "text/x-lua"), ("X-Labengine-File", URL(fileURLWithPath: file).lastPathComponent)],
                body: Array(source))
            let signed = SignatureV4.sign(unsigned, credentials: keys, region: region, service: "labengine", at: Date().timeIntervalSince1970)
            let answer = try fetch(signed, base: base)
            guard answer.status == 200, let result = try? Document(jsonBytes: answer.body) else {
                Diagnostics.error("the session refused the actions (HTTP \(answer.status)): \(Self.message(answer))")
                throw ExitCode(2)
            }
            for line in result["output"]?.arrayValue ?? [] { print(line.stringValue ?? "") }
            if let error = result["error"]?.stringValue {
                Diagnostics.error("your actions stopped with an error: \(error)")
                throw ExitCode(1)
            }
        }

        private static func message(_ response: WireResponse) -> String {
            (try? Document(jsonBytes: response.body))?["error"]?.stringValue ?? String(decoding: response.body.prefix(300), as: UTF8.self)
        }

        /// The key from the credentials file, else from the environment.
        private func loadCredentials() throws -> WireCredentials {
            let environment = ProcessInfo.processInfo.environment
            if let path = credentials ?? environment["AWS_SHARED_CREDENTIALS_FILE"] {
                guard let data = FileManager.default.contents(atPath: path) else {
                    Diagnostics.error("cannot read the credentials file '\(path)'")
                    throw ExitCode(2)
                }
                if let keys = Self.profile(profile, in: String(decoding: data, as: UTF8.self)) { return keys }
                Diagnostics.error("\(path) has no [\(profile)] profile with aws_access_key_id and aws_secret_access_key")
                throw ExitCode(2)
            }
            if let key = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"] {
                return WireCredentials(accessKeyID: key, secretAccessKey: secret)
            }
            Diagnostics.error("no key: pass --credentials FILE (labengine serve wrote one per learner) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
            throw ExitCode(2)
        }

        /// A profile's keys from an AWS CLI credentials file (INI).
        static func profile(_ name: String, in text: String) -> WireCredentials? {
            var section = ""
            var values: [String: String] = [:]
            for raw in text.split(whereSeparator: \.isNewline) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("[") && line.hasSuffix("]") {
                    section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                } else if section == name, let equals = line.firstIndex(of: "=") {
                    values[line[..<equals].trimmingCharacters(in: .whitespaces)] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                }
            }
            guard let key = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] else { return nil }
            return WireCredentials(accessKeyID: key, secretAccessKey: secret)
        }

        /// Sends one request and waits for the answer.
        private func fetch(_ request: WireRequest, base: String) throws -> WireResponse {
            guard let url = URL(string: base + request.path + (request.query.isEmpty ? "" : "?" + request.query)) else {
                Diagnostics.error("--session must be the session's URL, like http://127.0.0.1:4599")
                throw ExitCode(2)
            }
            var urlRequest = URLRequest(url: url, timeoutInterval: 120)
            urlRequest.httpMethod = request.method
            for (name, value) in request.headers where name.lowercased() != "host" { urlRequest.setValue(value, forHTTPHeaderField: name) }
            if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var outcome: Result<WireResponse, any Error> = .failure(URLError(.unknown))
            URLSession.shared.dataTask(with: urlRequest) { data, response, error in
                if let error {
                    outcome = .failure(error)
                } else if let http = response as? HTTPURLResponse {
                    outcome = .success(WireResponse(status: http.statusCode, headers: [], body: Array(data ?? Data())))
                }
                done.signal()
            }.resume()
            done.wait()
            switch outcome {
            case .success(let response): return response
            case .failure(let error):
                Diagnostics.error("cannot reach the session at \(base): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
    }
}
