import Foundation
import WireProtocols

/// One learner of a room: a name, an account of their own and its keys.
package struct LearnerIdentity: Sendable, Equatable {
    /// The name in URLs, files and the scoreboard (`alice`, `learner-2`).
    package let id: String
    /// The account's 12-digit ID: the lab's, counted up by the learner's place in the roster,
    /// so a transcript names an account that its replay can build again.
    package let accountID: String
    /// Keys that reach only this learner's account. Drawn from the system's random source,
    /// not the seed: the seed is printed, and a learner must not derive a neighbour's keys.
    package let credentials: WireCredentials
}

/// The learners of a room: `--learners N` (learner-1 … learner-N) or a file with one name per line.
package enum Roster {
    /// The most learners one room holds.
    package static let maximum = 500

    /// `learner-1` … `learner-N`.
    package static func numbered(_ count: Int, baseAccount: String) throws(RosterError) -> [LearnerIdentity] {
        guard (1...maximum).contains(count) else { throw RosterError("--learners must be from 1 to \(maximum), not \(count)") }
        return try (1...count).map { n throws(RosterError) in try identity("learner-\(n)", place: n, baseAccount: baseAccount) }
    }

    /// Names from a file: one a line; blank lines and `#` comments are skipped.
    /// - Throws: ``RosterError`` naming the file and line of a bad or repeated name.
    package static func read(file path: String, baseAccount: String) throws(RosterError) -> [LearnerIdentity] {
        guard let data = FileManager.default.contents(atPath: path) else { throw RosterError("\(path): cannot read the learners file") }
        var learners: [LearnerIdentity] = []
        var seen: [String: Int] = [:]
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let name = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if name.isEmpty { continue }
            guard name.count <= 32, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw RosterError("\(path):\(index + 1): '\(name)' is not a learner name: use up to 32 letters, digits, - and _")
            }
            if let first = seen[name] { throw RosterError("\(path):\(index + 1): '\(name)' is already on line \(first)") }
            seen[name] = index + 1
            learners.append(try identity(name, place: learners.count + 1, baseAccount: baseAccount))
        }
        guard !learners.isEmpty else { throw RosterError("\(path): the learners file names nobody") }
        guard learners.count <= maximum else { throw RosterError("\(path): \(learners.count) learners; a room holds at most \(maximum)") }
        return learners
    }

    private static func identity(_ id: String, place: Int, baseAccount: String) throws(RosterError) -> LearnerIdentity {
        guard let base = UInt64(baseAccount), base + UInt64(place) < 1_000_000_000_000 else {
            throw RosterError("the lab's account '\(baseAccount)' leaves no room for \(place) learner accounts")
        }
        let account = String(base + UInt64(place))
        return LearnerIdentity(
            id: id, accountID: String(repeating: "0", count: max(0, 12 - account.count)) + account,
            credentials: WireCredentials(accessKeyID: "AKIA" + randomText(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), secretAccessKey: randomText(40, alphabet)))
    }

    private static let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    /// Random text from the system's generator (a token, a key).
    package static func randomText(_ count: Int, _ letters: String = alphabet) -> String {
        let pool = Array(letters)
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in pool[Int(generator.next(upperBound: UInt64(pool.count)))] })
    }
}

/// A roster that cannot be made, with where.
package struct RosterError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
