/// When a call was in flight: from the moment its caller sent it to the moment it returned.
/// The account applies a call at its end; conflicts are decided by overlapping windows
/// ("a transaction conflicts with ongoing transactions", not with ones that returned).
public struct CallWindow: Sendable, Equatable {
    public let start: VirtualTime
    public let end: VirtualTime

    public init(start: VirtualTime, end: VirtualTime) {
        self.start = start
        self.end = max(start, end)
    }

    /// A call that takes no time: actions files and commands, while the clock stands still.
    public static func instant(_ time: VirtualTime) -> CallWindow { CallWindow(start: time, end: time) }
}
