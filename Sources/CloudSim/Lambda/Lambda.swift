import DocumentModel

/// The simulated Lambda service: functions, their concurrency, invocations in virtual
/// time, and event source mappings.
public final class Lambda {
    public let region: String
    public let accountID: String
    let scheduler: Scheduler
    let logs: Logs
    let iam: IAM
    var latency: LatencyModel
    var random: SeededRandom
    /// Runs function code; set by the host (the lab engine's Lua runtime).
    public var runtime: (any FunctionRuntime)?
    /// Platform-level failure injection, when a lab turns it on.
    public var faults: (any FaultInjector)?
    /// Performs an SDK call for function code, authorized as the function's role.
    var perform: ((Identity, OperationDescriptor, SDKRequest, CallWindow?) throws -> any DocumentWritable)?
    public internal(set) var functions: [String: LambdaFunction] = [:]
    public internal(set) var mappings: [String: EventSourceMapping] = [:]
    /// Triggers from SQS queues (their UUIDs share `mappingOrder` with the stream mappings).
    public internal(set) var queueMappings: [String: QueueMapping] = [:]
    /// The account's concurrency limit (unreserved functions share what reservations leave).
    public var accountConcurrency = 1000
    /// The instructions the engine has run function code for, all functions together, large
    /// copies included (an endless loop counts those it ran before its step limit, not the
    /// timeout it is then given). Counted whole: a step's own virtual time rounds down.
    var instructionsRun = 0
    /// The virtual CPU time of ``instructionsRun``: what a grader's budget reads.
    public var cpuTime: VirtualDuration { latency.cost(instructions: instructionsRun) }
    /// The virtual CPU time of one function's instructions (see ``cpuTime``).
    public func cpuTime(of function: LambdaFunction) -> VirtualDuration { latency.cost(instructions: function.instructionsRun) }
    var mappingOrder: [String] = []
    weak var account: CloudAccount?

    init(region: String, accountID: String, scheduler: Scheduler, logs: Logs, iam: IAM, latency: LatencyModel, seed: UInt64) {
        self.region = region
        self.accountID = accountID
        self.scheduler = scheduler
        self.logs = logs
        self.iam = iam
        self.latency = latency
        random = SeededRandom(seed: seed, stream: "lambda")
    }

    /// Runs one operation for `caller`, its request already validated against the model.
    /// - Throws: ``AWSError`` with Lambda's codes.
    func execute(_ operation: OperationDescriptor, _ request: Document, caller: Identity = .admin) throws -> Document {
        let p = try Params(request, errorCode: "InvalidParameterValueException")
        switch operation.name {
        case "CreateFunction": return try createFunction(p)
        case "DeleteFunction":
            let function = try function(try p.string("FunctionName"))
            functions[function.name] = nil
            // "If the action is successful, the service sends back an HTTP 204 response"
            // (https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html).
            return ["StatusCode": 204]
        case "GetFunction":
            let function = try function(try p.string("FunctionName"))
            var result: [String: Document] = [
                "Configuration": function.configuration(), "Code": ["RepositoryType": "S3", "Location": .string(function.code.origin)],
            ]
            if let reserved = function.reservedConcurrency {
                result["Concurrency"] = ["ReservedConcurrentExecutions": .int(Int64(reserved))]
            }
            return .map(result)
        case "GetFunctionConfiguration": return try function(try p.string("FunctionName")).configuration()
        case "ListFunctions": return ["Functions": .array(functions.keys.sorted().compactMap { functions[$0]?.configuration() })]
        case "UpdateFunctionCode": return try updateFunctionCode(p)
        case "UpdateFunctionConfiguration": return try updateFunctionConfiguration(p)
        case "PutFunctionConcurrency":
            let function = try function(try p.string("FunctionName"))
            let value = try p.int("ReservedConcurrentExecutions")
            guard value >= 0 else {
                throw AWSError("InvalidParameterValueException", "ReservedConcurrentExecutions must be at least 0")
            }
            let reservedElsewhere = functions.values.filter { $0 !== function }.compactMap(\.reservedConcurrency).reduce(0, +)
            guard reservedElsewhere + value <= accountConcurrency - 100 else {
                throw AWSError(
                    "InvalidParameterValueException",
                    "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].")
            }
            function.reservedConcurrency = value
            return ["ReservedConcurrentExecutions": .int(Int64(value))]
        case "GetFunctionConcurrency":
            let function = try function(try p.string("FunctionName"))
            return function.reservedConcurrency.map { ["ReservedConcurrentExecutions": .int(Int64($0))] } ?? [:]
        case "DeleteFunctionConcurrency":
            try function(try p.string("FunctionName")).reservedConcurrency = nil
            return [:]
        case "Invoke": return try invokeOperation(p)
        case "AddPermission": return try addPermission(p)
        case "RemovePermission": return try removePermission(p)
        case "GetPolicy": return try getPolicy(p)
        case "PutFunctionEventInvokeConfig", "UpdateFunctionEventInvokeConfig", "GetFunctionEventInvokeConfig", "DeleteFunctionEventInvokeConfig",
            "ListFunctionEventInvokeConfigs":
            return try eventInvokeConfigOperation(operation.name, p)
        case "CreateEventSourceMapping": return try createEventSourceMapping(p)
        case "GetEventSourceMapping":
            let uuid = try p.string("UUID")
            if let queueMapping = queueMappings[uuid] { return queueMapping.document(region: region, accountID: accountID) }
            return try mapping(uuid).document()
        case "ListEventSourceMappings":
            let name = try p.optionalString("FunctionName").map { try function($0).name }
            let source = try p.optionalString("EventSourceArn")
            let list = mappingOrder.compactMap { uuid -> (function: String, arn: String, document: Document)? in
                if let m = mappings[uuid] { return (m.functionName, m.sourceArn, m.document()) }
                if let q = queueMappings[uuid] { return (q.functionName, q.queueArn, q.document(region: region, accountID: accountID)) }
                return nil
            }.filter { (name == nil || $0.function == name) && (source == nil || $0.arn == source) }
            return ["EventSourceMappings": .array(list.map(\.document))]
        case "UpdateEventSourceMapping":
            if let queueMapping = queueMappings[try p.string("UUID")] { return try updateQueueMapping(queueMapping, p) }
            return try updateEventSourceMapping(p)
        case "DeleteEventSourceMapping":
            if let queueMapping = queueMappings[try p.string("UUID")] {
                try queueMapping.state.checkDelete()
                queueMapping.deleted = true
                queueMappings[queueMapping.uuid] = nil
                mappingOrder.removeAll { $0 == queueMapping.uuid }
                queueMapping.state = .deleting
                return queueMapping.document(region: region, accountID: accountID)
            }
            let mapping = try mapping(try p.string("UUID"))
            try mapping.state.checkDelete()
            mapping.delete()
            mappings[mapping.uuid] = nil
            mappingOrder.removeAll { $0 == mapping.uuid }
            var d = mapping.document()
            if case .map(var m) = d {
                m["State"] = "Deleting"
                d = .map(m)
            }
            return d
        default: throw ServiceRegistry.shared.unknownOperation(.lambda, operation.name)
        }
    }

    /// The runtimes whose functions run Lua: Lambda's OS-only runtime, where the function
    /// brings its own language. Of that family only `provided.al2023` may still be used to
    /// create functions (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-provided.html:
    /// `provided.al2` is blocked for creation after 2026-07-31, `provided` long before).
    static let luaRuntimes = ["provided.al2023"]

    /// A function by name or ARN, or ResourceNotFoundException.
    public func function(_ nameOrArn: String) throws(AWSError) -> LambdaFunction {
        let name = nameOrArn.hasPrefix("arn:") ? String(nameOrArn.split(separator: ":").last ?? "") : nameOrArn
        guard let function = functions[name] else {
            throw AWSError(
                "ResourceNotFoundException",
                "Function not found: arn:aws:lambda:\(region):\(accountID):function:\(name)")
        }
        return function
    }

    func mapping(_ uuid: String) throws(AWSError) -> EventSourceMapping {
        guard let mapping = mappings[uuid] else {
            throw AWSError("ResourceNotFoundException", "The resource you requested does not exist. (Service: Lambda, Status Code: 404)")
        }
        return mapping
    }

    /// The code of a CreateFunction's `Code` or an UpdateFunctionCode request: a zip
    /// (`ZipFile`) or, in labengine's Lua API, Lua text (`Source`).
    private func code(_ p: Params, in map: [String: Document]?) throws -> StoredCode? {
        let holder = try map.map { try Params(.map($0), errorCode: "InvalidParameterValueException") } ?? p
        if let source = try holder.optionalString("Source") {
            return StoredCode(
                source: source, path: try holder.optionalString("SourcePath") ?? "<inline>", folder: try holder.optionalString("SourceFolder"))
        }
        if let zip = holder["ZipFile"]?.bytesValue { return try StoredCode(zip: zip) }
        if holder.has("S3Bucket") || holder.has("ImageUri") {
            throw AWSError(
                "InvalidParameterValueException",
                "The simulated account has no S3 and no container images: pass the code as ZipFile (a zip of Lua files) or Source (Lua text).")
        }
        return nil
    }

    private func createFunction(_ p: Params) throws -> Document {
        let name = try p.string("FunctionName")
        guard functions[name] == nil else {
            throw AWSError("ResourceConflictException", "Function already exist: \(name)")
        }
        let role = try p.string("Role")
        guard iam.role(arn: role) != nil else {
            throw AWSError("InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda.")
        }
        guard let code = try code(p, in: try p.optionalMap("Code")) else {
            throw AWSError("InvalidParameterValueException", "Code must include ZipFile (a zip of Lua files) or, in Lua actions, Source or SourceFile")
        }
        let runtime = try p.optionalString("Runtime") ?? Self.luaRuntimes[0]
        guard Self.luaRuntimes.contains(runtime) else {
            throw AWSError(
                "InvalidParameterValueException",
                "labengine runs function code as Lua on Lambda's OS-only runtime \(Self.luaRuntimes.joined(separator: ", ")); the runtime parameter of \(runtime) is not simulated.")
        }
        let function = LambdaFunction(
            name: name, arn: "arn:aws:lambda:\(region):\(accountID):function:\(name)", role: role,
            handler: try p.optionalString("Handler") ?? "handler", runtime: runtime,
            timeout: try p.optionalInt("Timeout", in: 1...900) ?? 3, memorySize: try p.optionalInt("MemorySize", in: 128...10240) ?? 128,
            code: code, environment: try environment(p), created: scheduler.now)
        functions[name] = function
        logs.groups[function.logGroup] = logs.groups[function.logGroup] ?? []
        return function.configuration()
    }

    private func environment(_ p: Params) throws -> [String: String] {
        guard let env = try p.optionalMap("Environment") else { return [:] }
        let variables = env["Variables"]?.mapValue ?? [:]
        return variables.compactMapValues(\.stringValue)
    }

    private func updateFunctionCode(_ p: Params) throws -> Document {
        let function = try function(try p.string("FunctionName"))
        guard let code = try code(p, in: nil) else {
            throw AWSError("InvalidParameterValueException", "Pass ZipFile (a zip of Lua files) or, in Lua actions, Source or SourceFile")
        }
        function.stored = code
        function.revision += 1
        function.idle.removeAll()
        function.lastModified = scheduler.now
        return function.configuration()
    }

    private func updateFunctionConfiguration(_ p: Params) throws -> Document {
        let function = try function(try p.string("FunctionName"))
        let timeout = try p.optionalInt("Timeout", in: 1...900)
        let memory = try p.optionalInt("MemorySize", in: 128...10240)
        let role = try p.optionalString("Role")
        if let role, iam.role(arn: role) == nil {
            throw AWSError("InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda.")
        }
        if let timeout { function.timeout = timeout }
        if let memory { function.memorySize = memory }
        if let role { function.role = role }
        if let handler = try p.optionalString("Handler") { function.handler = handler }
        if p.has("Environment") { function.environment = try environment(p) }
        function.revision += 1
        function.idle.removeAll()
        function.lastModified = scheduler.now
        return function.configuration()
    }
}
