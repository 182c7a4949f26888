/// A token bucket: `perSecond` requests a wall second on average, bursts of twice that.
/// Wall time, not virtual: it protects the host, and what it refuses never reaches an
/// account, so it cannot change a transcript.
final class RateLimiter {
    private let perSecond: Double
    private let burst: Double
    private var tokens: Double
    private var last: UInt64?

    init(perSecond: Double) {
        self.perSecond = perSecond
        burst = max(1, perSecond * 2)
        tokens = burst
    }

    /// Takes a token if one is there at `now` (monotonic nanoseconds).
    func admit(now: UInt64) -> Bool {
        if let last, now > last { tokens = min(burst, tokens + Double(now - last) / 1e9 * perSecond) }
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
