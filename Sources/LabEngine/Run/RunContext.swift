import CloudSim
import DocumentModel
import Foundation
import LuaBridge

/// One minute's (one scoring round's) result.
public struct MinuteResult: Equatable, Sendable {
    public let minute: Int
    public let points: Int
    /// The score after this round.
    public let score: Int
    public let exact: Bool
    public let detail: String
}

/// The state of one run of a lab: its world, score, phase and timeline. The lab's Lua
/// callbacks reach it through `run` and `ctx`.
final class RunContext {
    let lab: Lab
    let world: World
    let seed: UInt64
    var score: Int
    var phase: String?
    var minutes: [MinuteResult] = []
    var random: SeededRandom
    var lines: [String] = []
    /// Failures of the lab's own callbacks during the run (scoring rounds).
    var scriptErrors: [LabError] = []
    var maxScore = 0
    /// The run's failure injection, once time starts.
    var faults: LabFaults?

    init(lab: Lab, world: World, seed: UInt64) {
        self.lab = lab
        self.world = world
        self.seed = seed
        score = lab.startScore
        phase = lab.initialPhase
        random = SeededRandom(seed: seed, stream: "scoring")
    }

    /// `ctx.iam.allowed(role, action, resource)` → allowed, decision, deciding statement.
    func iamAllowed(_ args: [Document]) throws -> [Document] {
        guard args.count >= 3, let roleName = args[0].stringValue, let action = args[1].stringValue, let resource = args[2].stringValue else {
            throw EngineError(code: "ValidationException", message: "ctx.iam.allowed(role, action, resource) takes three strings")
        }
        let iam = world.account.iam
        let role: Role
        if roleName.hasPrefix("arn:") {
            guard let found = iam.role(arn: roleName) else { return [false, "implicitDeny", "no such role"] }
            role = found
        } else {
            guard let found = iam.roles[roleName] else { return [false, "implicitDeny", "no such role"] }
            role = found
        }
        let decision = iam.evaluate(role: role, action: action, resource: resource)
        let statement = decision.matched.first.map { m in "\(m.policy) statement \(m.index + 1)\(m.sid.map { " (\($0))" } ?? "")" }
        return [.bool(decision.allowed), .string(decision.decision), statement.map { .string($0) } ?? .null]
    }

    /// `ctx.items(table)` → every item, in plain values.
    func items(_ args: [Document]) throws -> [Document] {
        guard let name = args.first?.stringValue else { throw EngineError(code: "ValidationException", message: "ctx.items(table) takes a table name") }
        // A missing table raises as the Scan does, so a check can tell "no table" from "no items".
        _ = try world.account.call("dynamodb", "DescribeTable", ["TableName": .string(name)])
        return [.array(Self.items(of: name, in: world) ?? [])]
    }

    /// Every message a queue holds, visible or not, without receiving it: a receive would
    /// hide messages from the learner and count towards their redrive policy.
    func messages(_ args: [Document]) throws -> [Document] {
        guard let name = args.first?.stringValue else { throw EngineError(code: "ValidationException", message: "ctx.messages(queue) takes a queue name") }
        guard let queue = world.account.sqs.queues[name] else { throw AWSError("QueueDoesNotExist", "The specified queue does not exist.") }
        return [.array(queue.held(at: world.account.scheduler.now).map { m in
            ["body": .string(m.body), "message_id": .string(m.messageID), "receive_count": .int(Int64(m.receiveCount)),
             "sent_time": .double(m.sentAt.unixSeconds)]
        })]
    }

    func logLines(_ args: [Document]) throws -> [Document] {
        guard let name = args.first?.stringValue else { throw EngineError(code: "ValidationException", message: "ctx.logs(function) takes a function name") }
        return [.array((world.account.logs.groups["/aws/lambda/\(name)"] ?? []).map { .string($0.message) })]
    }

    func metrics(_ args: [Document]) throws -> [Document] {
        guard let name = args.first?.stringValue else { throw EngineError(code: "ValidationException", message: "ctx.metrics(function) takes a function name") }
        return [Self.metrics(of: name, in: world)]
    }

    /// A function's metrics as checks (`ctx.metrics`) and scenarios (`expect.metrics`) see them.
    static func metrics(of function: String, in world: World) -> Document {
        let m = world.account.logs.metrics[function] ?? FunctionMetrics()
        return [
            "invocations": .int(Int64(m.invocations)), "errors": .int(Int64(m.errors)), "throttles": .int(Int64(m.throttles)),
            "max_concurrency": .int(Int64(m.maxConcurrentExecutions)), "max_duration_ms": .double(m.maxDuration.milliseconds),
            "max_iterator_age_ms": .double(m.maxIteratorAge.milliseconds), "timeouts": .int(Int64(m.timeouts)),
        ]
    }

    /// Every item of `table` in plain values, or nil when there is no such table.
    static func items(of table: String, in world: World) -> [Document]? {
        var all: [Document] = []
        var start: Document?
        repeat {
            var request: [String: Document] = ["TableName": .string(table)]
            if let start { request["ExclusiveStartKey"] = start }
            guard let page = try? world.account.call("dynamodb", "Scan", .map(request)) else { return nil }
            all += (page["Items"]?.arrayValue ?? []).compactMap(ResourceValues.plainItem)
            start = page["LastEvaluatedKey"]
        } while start != nil
        return all
    }

    /// `ctx.functions()` → every function's summary by name (see ``FunctionSummary``).
    func functions() -> [Document] {
        [.map(Dictionary(uniqueKeysWithValues: FunctionSummary.all(world.account.logs).map { ($0.name, $0.document) }))]
    }

    /// `ctx.faults()` → what the lab's failure modes injected: counts per `function point`,
    /// and the SDK calls `sdk-error` modes refused, with their keys in plain values.
    func injectedFaults() -> [Document] {
        let injected = faults?.injected ?? [:]
        let refused = (faults?.refused ?? []).map { call -> Document in
            var d: [String: Document] = [
                "function": .string(call.function), "service": .string(call.service), "operation": .string(call.operation),
                "time": .double(call.time.unixSeconds),
            ]
            if let key = ResourceValues.plainItem(call.key) { d["key"] = key }
            return .map(d)
        }
        return [["injected": .map(injected.mapValues { .int(Int64($0)) }), "refused": .array(refused)]]
    }

    func mappings(_ args: [Document]) throws -> [Document] {
        let name = args.first?.stringValue
        let lambda = world.account.lambda
        let streams = lambda.mappings.values.map { ($0.uuid, $0.functionName, $0.batchesDelivered) }
        let queues = lambda.queueMappings.values.map { ($0.uuid, $0.functionName, $0.batchesDelivered) }
        let list = (streams + queues).filter { name == nil || $0.1 == name }.sorted { $0.0 < $1.0 }
        return [.array(list.map { uuid, function, delivered in
            guard case .map(var d) = (try? world.account.call("lambda", "GetEventSourceMapping", ["UUID": .string(uuid)])) ?? .null else { return .null }
            d["FunctionName"] = .string(function)
            d["BatchesDelivered"] = .int(Int64(delivered))
            return .map(d)
        })]
    }

    func info() throws -> Document {
        [
            "score": .int(Int64(score)), "max_score": .int(Int64(maxScore)), "phase": phase.map { .string($0) } ?? .null,
            "minutes": .array(minutes.map { ["minute": .int(Int64($0.minute)), "points": .int(Int64($0.points)), "exact": .bool($0.exact), "detail": .string($0.detail)] }),
            "now": .double(world.account.scheduler.now.seconds), "unix_time": .double(world.account.scheduler.now.unixSeconds),
            "region": .string(world.account.region), "account": .string(world.account.accountID),
            "seed": .int(Int64(bitPattern: seed)), "lab": .string(lab.id),
        ]
    }

    /// `run.after(seconds, fn)`: calls `fn` at that virtual time.
    func after(_ args: [Document], state: LabState) throws -> [Document] {
        guard args.count >= 2, let seconds = args[0].doubleValue, seconds >= 0, case .callable(let function) = args[1] else {
            throw EngineError(code: "ValidationException", message: "run.after(seconds, function) needs a delay of 0 or more seconds and a function")
        }
        world.account.scheduler.schedule(after: .seconds(seconds)) { [weak self, weak state] in
            guard let self, let state else { return }
            do {
                _ = try state.call(function, [], during: self, what: "scoring")
            } catch let error as LabError {
                self.scriptErrors.append(error)
            } catch {
                self.scriptErrors.append(LabError(file: self.lab.file, message: "scoring: \(error)"))
            }
        }
        return []
    }

    /// `run.award{ points, exact, detail }`: records one round.
    func award(_ args: [Document]) throws -> [Document] {
        guard let spec = args.first?.mapValue, let points = spec["points"]?.intValue else {
            throw EngineError(code: "ValidationException", message: "run.award{ points = N, exact = bool, detail = text } needs points")
        }
        score += Int(points)
        minutes.append(
            MinuteResult(
                minute: minutes.count + 1, points: Int(points), score: score, exact: spec["exact"]?.boolValue ?? (points > 0),
                detail: spec["detail"]?.stringValue ?? ""))
        return [.int(Int64(score))]
    }

    func setPhase(_ args: [Document]) throws -> [Document] {
        phase = args.first?.stringValue
        return []
    }

    func randint(_ args: [Document]) throws -> [Document] {
        guard args.count >= 2, let low = args[0].intValue, let high = args[1].intValue, low <= high else {
            throw EngineError(code: "ValidationException", message: "run.randint(a, b) needs integers a <= b")
        }
        return [.int(low + Int64(random.next() % UInt64(high - low + 1)))]
    }

    func log(_ line: String) throws { lines.append("[\(world.account.scheduler.now)] \(line)") }
}
