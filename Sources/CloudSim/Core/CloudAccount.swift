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

    /// - Parameters:
    ///   - seed: drives every random choice of the account (each service draws its own stream).
    public init(region: String = "us-west-2", accountID: String = "123456789012", seed: UInt64 = 1, latency: LatencyModel = LatencyModel()) {
        self.region = region
        self.accountID = accountID
        self.seed = seed
        scheduler = Scheduler()
        dynamodb = DynamoDB(region: region, accountID: accountID, scheduler: scheduler, latency: latency, seed: seed)
        dynamodbStreams = DynamoDBStreams(dynamodb: dynamodb)
        kinesis = Kinesis(region: region, accountID: accountID, scheduler: scheduler)
        iam = IAM(accountID: accountID, scheduler: scheduler)
        logs = Logs()
        lambda = Lambda(region: region, accountID: accountID, scheduler: scheduler, logs: logs, iam: iam, latency: latency, seed: seed)
        events = Events(region: region, accountID: accountID, scheduler: scheduler)
        events.lambda = lambda
        lambda.account = self
        lambda.perform = { [unowned self] identity, service, operation, request in
            try self.call(service, operation, request, as: identity)
        }
    }

    /// The services and their operations, by the API's names.
    public static let services: [String: [String]] = [
        "dynamodb": DynamoDB.operations, "dynamodbstreams": DynamoDBStreams.operations, "kinesis": Kinesis.operations,
        "iam": IAM.operations, "lambda": Lambda.operations, "logs": Logs.operations, "events": Events.operations,
    ]

    private static let operationSets = services.mapValues(Set.init)

    /// Calls `service:operation` (API names, e.g. `dynamodb`, `PutItem`) as `identity`; a
    /// role must be allowed every action the call needs.
    /// - Throws: ``AWSError`` (AccessDeniedException when the role may not).
    public func call(_ service: String, _ operation: String, _ request: Document = [:], as identity: Identity = .admin) throws -> Document {
        guard let operations = Self.operationSets[service] else {
            throw AWSError("UnknownServiceException", "The simulated account has no service '\(service)'.")
        }
        guard operations.contains(operation) else { throw AWSError.unknownOperation(service, operation) }
        if case .role(let arn, let session) = identity {
            guard let role = iam.role(arn: arn) else {
                throw AWSError("AccessDeniedException", "The role \(arn) does not exist or cannot be assumed.")
            }
            for (action, resource) in RequiredPermissions.of(service: service, operation: operation, request: request, region: region, account: accountID) {
                try iam.authorize(role: role, session: session, action: action, resource: resource)
            }
        }
        switch service {
        case "dynamodb": return try dynamodb.handle(operation, request)
        case "dynamodbstreams": return try dynamodbStreams.handle(operation, request)
        case "kinesis": return try kinesis.handle(operation, request)
        case "iam": return try iam.handle(operation, request)
        case "lambda": return try lambda.handle(operation, request, caller: identity)
        case "logs": return try logs.handle(operation, request)
        default: return try events.handle(operation, request)
        }
    }

    /// Runs virtual time forward to `end`.
    public func run(until end: VirtualTime) { scheduler.run(until: end) }
}
