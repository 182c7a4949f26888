import CloudSim
import DocumentModel

/// `grade LAB --transcript FILE`: a live session's learner, again. The account is built with
/// the session's seed and the learner's account ID, time starts, and each recorded request
/// is applied after the virtual second it was made in, as the session applied it; the run
/// ends where the session did. The same transcript always gives the same report, and it is
/// the report the session gave.
public struct TranscriptReplay {
    public let lab: Lab
    public let transcript: Transcript

    public init(lab: Lab, transcript: Transcript) {
        self.lab = lab
        self.transcript = transcript
    }

    /// What a replay gives: the run's result, and the requests whose outcome differs from
    /// the live one (none, unless the transcript was edited or the engine changed).
    public struct Outcome {
        public let result: RunResult
        public let divergences: [String]
    }

    /// Replays the transcript.
    /// - Throws: ``LabError`` when the transcript is for another lab or the lab's scripts fail.
    public func run() throws -> Outcome {
        guard transcript.lab == lab.id else {
            throw LabError(file: nil, message: "the transcript is of lab '\(transcript.lab)', not '\(lab.id)'")
        }
        let session = try LabSession(lab: lab, seed: transcript.seed, minutes: transcript.minutes, accountID: transcript.account)
        let end = min(transcript.end ?? session.length, session.length)
        var divergences: [String] = []
        var pending = transcript.entries[...]
        func applyDue() {
            while let entry = pending.first, entry.seconds <= session.elapsed {
                pending.removeFirst()
                let error = session.world.replay(entry)
                if error != entry.error {
                    divergences.append(
                        "t=\(entry.seconds) s \(entry.service).\(entry.operation): live \(entry.error ?? "succeeded"), replayed \(error ?? "succeeded")")
                }
            }
        }
        try session.begin()
        applyDue()
        // A session its functions stopped (the CPU budget) ends there, as it did live.
        while session.elapsed < end && !session.isOver {
            try session.tick()
            applyDue()
        }
        if let late = pending.first {
            divergences.append("\(pending.count) request(s) from t=\(late.seconds) s come after the end (\(end) s) and were not applied")
        }
        return Outcome(result: try session.result(), divergences: divergences)
    }
}

extension World {
    /// Applies one recorded request as the administrator; returns the error code it got.
    func replay(_ entry: Transcript.Entry) -> String? {
        do {
            _ = try account.call(entry.service, entry.operation, entry.request, as: .admin)
            return nil
        } catch {
            return (error as? any CodedError)?.code ?? "InternalFailure"
        }
    }
}
