import DocumentModel

/// The simulated AWS account: one region's services sharing one virtual clock and one seed.
public final class CloudAccount {
    public let region: String
    public let accountID: String
    public let seed: UInt64
    public let scheduler: Scheduler
    public let dynamodb: DynamoDB
    public let dynamodbStreams: DynamoDBStreams
    public let kinesis: Kinesis
    public let iam: IAM
    public let logs: Logs
    public let lambda: Lambda
    public let events: Events
    public let sqs: SQS
    public let sns: SNS
    /// The region and account the ARNs of calls are built in.
    private let arnScope: ARNScope

    /// - Parameters:
    ///   - seed: drives every random choice of the account (each service draws its own stream).
    public init(region: String = "us-west-2", accountID: String = "123456789012", seed: UInt64 = 1, latency: LatencyModel = LatencyModel()) {
        self.region = region
        self.accountID = accountID
        self.seed = seed
        arnScope = ARNScope(region: region, account: accountID)
        scheduler = Scheduler()
        dynamodb = DynamoDB(region: region, accountID: accountID, scheduler: scheduler, latency: latency, seed: seed)
        dynamodbStreams = DynamoDBStreams(dynamodb: dynamodb)
        kinesis = Kinesis(region: region, accountID: accountID, scheduler: scheduler)
        iam = IAM(accountID: accountID, scheduler: scheduler)
        logs = Logs()
        lambda = Lambda(region: region, accountID: accountID, scheduler: scheduler, logs: logs, iam: iam, latency: latency, seed: seed)
        events = Events(region: region, accountID: accountID, scheduler: scheduler)
        sqs = SQS(region: region, accountID: accountID, scheduler: scheduler, seed: seed)
        sns = SNS(region: region, accountID: accountID, scheduler: scheduler, seed: seed, sqs: sqs, lambda: lambda)
        events.lambda = lambda
        lambda.account = self
        lambda.perform = { [unowned self] identity, operation, request, window in
            try self.respond(operation, request, as: identity, during: window)
        }
    }

    /// The registry of operations (AWS's service models) the account answers.
    package let registry = ServiceRegistry.shared
    private let validator = RequestValidator()

    /// Calls `service:operation` (API names, e.g. `dynamodb`, `PutItem`) as `identity`:
    /// the request is validated against the operation's model, then authorized (a role must
    /// be allowed every action the call needs), then executed.
    /// - Throws: ``AWSError`` (UnknownOperationException, ParamValidationError,
    ///   ValidationException, AccessDeniedException, or the service's own).
    public func call(_ service: String, _ operation: String, _ request: Document = [:], as identity: Identity = .admin) throws -> Document {
        try call(try descriptor(service, operation), request, as: identity)
    }

    /// The descriptor of `service:operation`, or the error AWS's SDK would give, with the nearest name.
    package func descriptor(_ service: String, _ operation: String) throws(AWSError) -> OperationDescriptor {
        try registry.descriptor(service, operation)
    }

    /// Validates, authorizes and executes one call.
    /// - Parameter window: when the caller sent it and when it returns (default: now, taking
    ///   no time, as calls of actions files and commands do while the clock stands still).
    package func call(
        _ operation: OperationDescriptor, _ request: Document, as identity: Identity = .admin, during window: CallWindow? = nil
    ) throws -> Document {
        Document(writing: try respond(operation, request, as: identity, during: window))
    }

    /// Validates, authorizes and executes one call, whose response may write itself (GetRecords'
    /// does) instead of being a document: for callers that hand it on, into Lua.
    package func respond(
        _ operation: OperationDescriptor, _ request: Document, as identity: Identity = .admin, during window: CallWindow? = nil
    ) throws -> any DocumentWritable {
        try validator.validate(request, operation, in: registry.model(operation.service))
        try authorize(identity) { operation.resource.permissions(action: operation.action, request: request, scope: arnScope) }
        do {
            return try execute(operation, request, as: identity, during: window ?? .instant(scheduler.now))
        } catch let error as AWSError {
            throw registry.onTheWire(error, of: operation)
        }
    }

    /// As ``respond(_:_:as:during:)`` for a function's request, which may have been read
    /// straight from Lua: such a request is checked against the model as its document would
    /// be, and one the model refuses goes the document way, which names the problem.
    package func respond(
        _ operation: OperationDescriptor, _ request: SDKRequest, as identity: Identity, during window: CallWindow?
    ) throws -> any DocumentWritable {
        guard case .typed(let typed) = request, case .updateItem(let update) = typed.input, operation.service == .dynamodb,
            operation.name == "UpdateItem", let input = operation.input
        else { return try respond(operation, request.document, as: identity, during: window) }
        let shapes = registry.model(operation.service).shapes
        guard validator.conforms(update, shapes[input], shapes) else {
            return try respond(operation, request.document, as: identity, during: window)
        }
        try authorize(identity) { operation.resource.permissions(action: operation.action, typed: typed, scope: arnScope) }
        do {
            return try dynamodb.updateItem(update.input, during: window ?? .instant(scheduler.now))
        } catch let error as AWSError {
            throw registry.onTheWire(error, of: operation)
        }
    }

    /// A role must be allowed every action the call needs; the account's own calls need none.
    private func authorize(_ identity: Identity, _ permissions: () -> [(String, String)]) throws {
        guard case .role(let arn, let session) = identity else { return }
        guard let role = iam.role(arn: arn) else {
            throw AWSError("AccessDeniedException", "The role \(arn) does not exist or cannot be assumed.")
        }
        for (action, resource) in permissions() {
            try iam.authorize(role: role, session: session, action: action, resource: resource, resourcePolicy: resourcePolicy(of: resource))
        }
    }

    private func execute(
        _ operation: OperationDescriptor, _ request: Document, as identity: Identity, during window: CallWindow
    ) throws -> any DocumentWritable {
        switch operation.service {
        case .dynamodb: return try dynamodb.execute(operation, request, during: window)
        case .dynamodbstreams: return try dynamodbStreams.execute(operation, request)
        case .kinesis: return try kinesis.respond(operation, request)
        case .iam: return try iam.execute(operation, request)
        case .lambda: return try lambda.execute(operation, request, caller: identity)
        case .logs: return try logs.execute(operation, request)
        case .events: return try events.execute(operation, request)
        case .sts: return callerIdentity(identity)
        case .sqs: return try sqs.execute(operation, request, sender: callerIdentity(identity)["UserId"]?.stringValue ?? accountID)
        case .sns: return try sns.execute(operation, request)
        }
    }

    /// The resource-based policy of a queue, topic or function, which may grant what the
    /// caller's own policies do not.
    private func resourcePolicy(of arn: String) -> PolicyDocument? {
        if arn.hasPrefix("arn:aws:sqs:") { return sqs.queue(arn: arn)?.policy }
        if arn.hasPrefix("arn:aws:sns:") { return sns.topics[arn]?.policy }
        if arn.hasPrefix("arn:aws:lambda:") { return (try? lambda.function(arn))?.policy }
        return nil
    }

    /// STS GetCallerIdentity: who the credentials of a call stand for.
    /// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
    private func callerIdentity(_ identity: Identity) -> Document {
        switch identity {
        case .admin:
            return ["Account": .string(accountID), "Arn": .string("arn:aws:iam::\(accountID):root"), "UserId": .string(accountID)]
        case .role(let arn, let session):
            let name = arn.split(separator: "/").last.map(String.init) ?? arn
            let roleID = iam.role(arn: arn)?.id ?? "AROA" + name.uppercased()
            return [
                "Account": .string(accountID), "Arn": .string("arn:aws:sts::\(accountID):assumed-role/\(name)/\(session)"),
                "UserId": .string("\(roleID):\(session)"),
            ]
        }
    }

    /// Runs virtual time forward to `end`.
    public func run(until end: VirtualTime) { scheduler.run(until: end) }
}
