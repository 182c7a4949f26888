import CloudSim
import DocumentModel

/// The engine's platform-level failure injection, driven by a lab's failure specs and the
/// run's phase. Learner code cannot see or remove it.
final class LabFaults: FaultInjector {
    let specs: [FailureSpec]
    let phase: () -> String?
    var random: SeededRandom
    /// Where each failing invocation in flight will fail, and how many SDK calls it made.
    private var planned: [String: (point: FaultPoint, calls: Int)] = [:]
    /// How many faults were injected, per function and point (for reports and tests).
    private(set) var injected: [String: Int] = [:]

    init(specs: [FailureSpec], seed: UInt64, phase: @escaping () -> String?) {
        self.specs = specs
        self.phase = phase
        random = SeededRandom(seed: seed, stream: "faults")
    }

    private func rate(_ kind: FaultKind, _ function: String) -> (Double, String?)? {
        let current = phase()
        for spec in specs where spec.kind == kind && (spec.phase == nil || spec.phase == current) {
            if let p = spec.rates[function] { return (p, spec.point) }
        }
        return nil
    }

    func fault(function: String, requestID: String, point: FaultPoint, time: VirtualTime) -> String? {
        switch point {
        case .beforeHandler:
            guard let (p, fixed) = rate(.invocationError, function), random.chance(p) else { return nil }
            let chosen: FaultPoint
            if let fixed, let known = FaultPoint(rawValue: fixed) {
                chosen = known
            } else {
                chosen = FaultPoint.allCases[Int(random.next() % 3)]
            }
            if chosen == .beforeHandler { return injected(function, chosen) }
            planned[requestID] = (chosen, 0)
            return nil
        case .betweenCalls:
            // A planned "between" failure strikes at the second SDK call, after the first took effect.
            guard var plan = planned[requestID] else { return nil }
            plan.calls += 1
            planned[requestID] = plan
            guard plan.point == .betweenCalls, plan.calls >= 2 else { return nil }
            planned[requestID] = nil
            return injected(function, .betweenCalls)
        case .afterHandler:
            // A "between" plan whose handler made fewer than two calls fails after it instead.
            guard planned.removeValue(forKey: requestID) != nil else { return nil }
            return injected(function, .afterHandler)
        }
    }

    private func injected(_ function: String, _ point: FaultPoint) -> String {
        injected["\(function) \(point.rawValue)", default: 0] += 1
        switch point {
        case .beforeHandler: return "Injected failure (before the handler)"
        case .betweenCalls: return "Injected failure (between the handler's SDK calls)"
        case .afterHandler: return "Injected failure (after the handler)"
        }
    }

    func redeliver(function: String, time: VirtualTime) -> Bool {
        guard let (p, _) = rate(.duplicateDelivery, function) else { return false }
        return random.chance(p)
    }

    func throttle(function: String, time: VirtualTime) -> Bool {
        guard let (p, _) = rate(.throttle, function) else { return false }
        return random.chance(p)
    }

    /// SDK calls an `sdk-error` mode refused, in order (the first 10,000), for checks
    /// that look for writes that were lost because the code swallowed the error.
    private(set) var refused: [RefusedCall] = []
    private lazy var sdkErrorSpecs = specs.filter { $0.kind == .sdkError }

    func sdkError(function: String, service: String, operation: String, request: SDKRequest, time: VirtualTime) -> AWSError? {
        // Asked at every SDK call of every function: most labs turn no such mode on.
        guard !sdkErrorSpecs.isEmpty else { return nil }
        let current = phase()
        for spec in sdkErrorSpecs where spec.phase == nil || spec.phase == current {
            guard let error = spec.error, error.service == service, let p = spec.rates[function] else { continue }
            guard random.chance(p) else { return nil }
            injected["\(function) sdk-error", default: 0] += 1
            if refused.count < 10_000 {
                refused.append(RefusedCall(function: function, service: service, operation: operation, key: request.document["Key"], time: time))
            }
            return AWSError(error.code, error.message)
        }
        return nil
    }

    /// Drops plans of invocations that ended without reaching their point (timeouts).
    func forget(_ requestID: String) { planned[requestID] = nil }
}

/// An SDK call that got an injected error instead of its answer.
struct RefusedCall {
    let function: String
    let service: String
    let operation: String
    /// The request's `Key` (DynamoDB item operations), when it had one.
    let key: Document?
    let time: VirtualTime
}
