/// A point in virtual time: microseconds since the simulation's epoch.
///
/// Nothing in the simulation reads the wall clock; time moves only when the scheduler
/// runs events.
public struct VirtualTime: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Microseconds since the epoch of the simulation.
    public var micros: Int64

    public init(micros: Int64) { self.micros = micros }

    /// The instant `s` seconds after the epoch.
    public static func seconds(_ s: Double) -> VirtualTime { VirtualTime(micros: Int64((s * 1_000_000).rounded())) }

    /// Seconds since the epoch, as a float (Lambda's `time.time()` style).
    public var seconds: Double { Double(micros) / 1_000_000 }

    /// Whole milliseconds since the epoch.
    public var milliseconds: Int64 { micros / 1000 }

    /// The Unix time of the simulation's epoch, 2024-01-01T00:00:00Z: every timestamp the
    /// account shows is Unix time of the virtual clock, as AWS's APIs return them.
    public static let unixEpochOffset: Double = 1_704_067_200

    /// The Unix time this instant stands for, in seconds.
    public var unixSeconds: Double { seconds + Self.unixEpochOffset }

    /// The Unix time this instant stands for, in whole milliseconds (CloudWatch Logs' unit).
    public var unixMilliseconds: Int64 { milliseconds + Int64(Self.unixEpochOffset) * 1000 }

    /// The instant of a Unix time in seconds.
    public init(unixSeconds: Double) { self = .seconds(unixSeconds - Self.unixEpochOffset) }

    public static func < (a: VirtualTime, b: VirtualTime) -> Bool { a.micros < b.micros }
    public static func + (a: VirtualTime, b: VirtualDuration) -> VirtualTime { VirtualTime(micros: a.micros + b.micros) }
    public static func - (a: VirtualTime, b: VirtualDuration) -> VirtualTime { VirtualTime(micros: a.micros - b.micros) }
    public static func - (a: VirtualTime, b: VirtualTime) -> VirtualDuration { VirtualDuration(micros: a.micros - b.micros) }

    public static let zero = VirtualTime(micros: 0)

    /// `MmSS.mmms`, e.g. `3m05.250s`.
    public var description: String {
        let ms = micros / 1000
        let m = ms / 60_000
        let s = (ms % 60_000) / 1000
        return "\(m)m\(s < 10 ? "0" : "")\(s).\(String(ms % 1000 + 1000).dropFirst())s"
    }
}

/// A span of virtual time, in microseconds.
public struct VirtualDuration: Comparable, Hashable, Sendable {
    public var micros: Int64
    public init(micros: Int64) { self.micros = micros }
    public static func seconds(_ s: Double) -> VirtualDuration { VirtualDuration(micros: Int64((s * 1_000_000).rounded())) }
    public static func milliseconds(_ ms: Double) -> VirtualDuration { VirtualDuration(micros: Int64((ms * 1000).rounded())) }
    public static func minutes(_ m: Double) -> VirtualDuration { .seconds(m * 60) }
    public static func < (a: VirtualDuration, b: VirtualDuration) -> Bool { a.micros < b.micros }
    public static func + (a: VirtualDuration, b: VirtualDuration) -> VirtualDuration { VirtualDuration(micros: a.micros + b.micros) }
    public static func * (a: VirtualDuration, n: Int) -> VirtualDuration { VirtualDuration(micros: a.micros * Int64(n)) }
    public var seconds: Double { Double(micros) / 1_000_000 }
    public var milliseconds: Double { Double(micros) / 1000 }
    public static let zero = VirtualDuration(micros: 0)
}
