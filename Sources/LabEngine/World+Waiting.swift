import CloudSim
import DocumentModel
import LuaBridge

extension World {
    /// Virtual seconds a run's learner (and its reference solution) may wait in all before
    /// time starts: the world runs meanwhile, and each of its seconds costs host time.
    public static let waitLimit = 600.0

    /// Lets `seconds` of virtual time pass before the run's time starts: `sleep` in an
    /// actions file or a lab's solve, and a learner's command's `sleep` or `time.sleep`. AWS
    /// takes a moment to apply some changes (an event source mapping is `Creating`, then
    /// `Updating`) and refuses others meanwhile; a script on a real account waits for them,
    /// and so does one here, without the wall time.
    /// - Throws: ``EngineError`` once time runs (an action scheduled with `at`, a check), for
    ///   a wait that is not a finite number of seconds of 0 or more, and past ``waitLimit``.
    package func wait(seconds: Double) throws {
        guard !readOnly else {
            throw EngineError(code: "ValidationException", message: "a check cannot sleep: it looks at the world without changing it")
        }
        guard !timeStarted else {
            throw EngineError(
                code: "ValidationException",
                message: "sleep is for before the run starts; time runs now, so schedule what comes later with at(seconds, fn)")
        }
        guard seconds.isFinite, seconds >= 0 else {
            throw EngineError(code: "ValidationException", message: "sleep needs a number of seconds of 0 or more, not \(seconds)")
        }
        guard waited + seconds <= Self.waitLimit else {
            throw EngineError(
                code: "LimitExceededException",
                message: "sleeping \(Self.secondsText(seconds)) would make \(Self.secondsText(waited + seconds)) of waiting before the run starts; at most \(Int(Self.waitLimit)) s are allowed")
        }
        waited += seconds
        run(for: .seconds(seconds))
    }

    /// `sleep(seconds)` in a Lua state whose calls act on the world `current` gives.
    static func installSleep(in state: LuaState, world current: @escaping () throws -> World) {
        state.register("sleep") { arguments in
            guard let seconds = arguments.first?.doubleValue else {
                throw EngineError(code: "ValidationException", message: "sleep(seconds) needs a number of virtual seconds")
            }
            try current().wait(seconds: seconds)
            return []
        }
    }
}
