import DocumentModel
import LuaBridge

/// An action a learner's file scheduled with `at(seconds, fn)`.
struct ScheduledAction {
    /// Virtual seconds after time started.
    let seconds: Double
    /// Order of scheduling, so actions due at the same second run in the order they were given.
    let order: Int
    let function: any DocumentCallable
    /// Where `at` was called, for the message when the action fails.
    let file: String?
}

extension World {
    /// `at(seconds, fn)` in actions files: `fn` runs when virtual time reaches `seconds` after
    /// the run started (at the end of that whole second, after its scoring and checks, where
    /// a live session applies requests too). Time does not pass while actions run, so this is
    /// how a file acts on a pipeline that is running.
    func installScheduling(in state: LuaState) throws {
        state.register("at") { [unowned self] arguments in
            guard arguments.count >= 2, let seconds = arguments[0].doubleValue, seconds.isFinite, seconds >= 0,
                case .callable(let function) = arguments[1]
            else {
                throw EngineError(code: "ValidationException", message: "at(seconds, function) needs a time of 0 or more virtual seconds and a function")
            }
            scheduledCount += 1
            let place = (function as? LuaFunction)?.definedAt?.file
            scheduled.append(ScheduledAction(seconds: seconds, order: scheduledCount, function: function, file: place))
            return []
        }
    }

    /// Runs every scheduled action due by `elapsed` seconds, in time order, and those they
    /// schedule that are due too.
    /// - Returns: the first failure, after which the remaining actions are cancelled (the
    ///   learner's script stopped there, as a script on a real account would).
    func runScheduledActions(upTo elapsed: Double) -> LabError? {
        while let next = scheduled.indices.filter({ scheduled[$0].seconds <= elapsed })
            .min(by: { (scheduled[$0].seconds, scheduled[$0].order) < (scheduled[$1].seconds, scheduled[$1].order) })
        {
            let action = scheduled.remove(at: next)
            do {
                try countingCalls { _ = try action.function.call([]) }
            } catch {
                scheduled.removeAll()
                let when = " (in the action scheduled for \(Self.secondsText(action.seconds)))"
                if let error = error as? LuaError {
                    let failure = LabError(error, file: action.file)
                    return LabError(file: failure.file, line: failure.line, message: failure.message + when)
                }
                return LabError(file: action.file, message: "\(error)\(when)")
            }
        }
        return nil
    }

    /// "2 s", "0.5 s": a number of seconds as messages give it.
    static func secondsText(_ s: Double) -> String {
        s == s.rounded() && abs(s) < 1e15 ? "\(Int(s)) s" : "\(s) s"
    }
}
