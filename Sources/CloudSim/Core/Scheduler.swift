import HeapModule

/// The discrete-event scheduler: events run in order of virtual time, then of the order
/// they were scheduled in, so equal times are deterministic.
public final class Scheduler {
    private struct Entry: Comparable {
        let time: VirtualTime
        let sequence: UInt64
        let action: () -> Void
        static func < (a: Entry, b: Entry) -> Bool { (a.time, a.sequence) < (b.time, b.sequence) }
        static func == (a: Entry, b: Entry) -> Bool { a.time == b.time && a.sequence == b.sequence }
    }

    private var queue = Heap<Entry>()
    private var nextSequence: UInt64 = 0

    /// The current virtual time.
    public private(set) var now: VirtualTime = .zero

    /// Events run so far.
    public private(set) var eventsRun = 0

    /// The end of the ``run(until:)`` in progress, if one is.
    private var horizon: VirtualTime?

    public init() {}

    /// Runs `action` at `time` (or now, if `time` has passed).
    public func schedule(at time: VirtualTime, _ action: @escaping () -> Void) {
        queue.insert(Entry(time: max(time, now), sequence: nextSequence, action: action))
        nextSequence += 1
    }

    /// Runs `action` after `delay`.
    public func schedule(after delay: VirtualDuration, _ action: @escaping () -> Void) {
        schedule(at: now + delay, action)
    }

    /// Runs every event due up to and including `end`, then sets the clock to `end`.
    public func run(until end: VirtualTime) {
        let outer = horizon
        horizon = outer.map { min($0, end) } ?? end
        defer { horizon = outer }
        while let first = queue.min, first.time <= end {
            _ = queue.removeMin()
            now = first.time
            eventsRun += 1
            first.action()
        }
        if end > now { now = end }
    }

    /// Moves the clock to `time` for an event that would run next anyway: true when a run is
    /// in progress, reaches `time`, and nothing else is due until then. The caller then does
    /// at once what it would have scheduled at `time`, in the same order, without the queue.
    public func advanceIfNext(to time: VirtualTime) -> Bool {
        guard let horizon, time >= now, time <= horizon else { return false }
        // An event already due at `time` was scheduled first, so it must run first.
        if let first = queue.min, first.time <= time { return false }
        now = time
        eventsRun += 1
        return true
    }

    /// Number of events waiting.
    public var pending: Int { queue.count }
}
