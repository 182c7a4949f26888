import DocumentModel

/// The simulated AWS account: one region's services sharing one virtual clock and one seed.
public final class CloudAccount {
    public let region: String
    public let accountID: String
    public let seed: UInt64
    public let scheduler: Scheduler
    public var latency: LatencyModel
    public let dynamodb: DynamoDB
    public let dynamodbStreams: DynamoDBStreams
    public let kinesis: Kinesis

    /// - Parameters:
    ///   - seed: drives every random choice of the account (each service draws its own stream).
    public init(region: String = "us-west-2", accountID: String = "123456789012", seed: UInt64 = 1, latency: LatencyModel = LatencyModel()) {
        self.region = region
        self.accountID = accountID
        self.seed = seed
        self.latency = latency
        scheduler = Scheduler()
        dynamodb = DynamoDB(region: region, accountID: accountID, scheduler: scheduler, latency: latency, seed: seed)
        dynamodbStreams = DynamoDBStreams(dynamodb: dynamodb)
        kinesis = Kinesis(region: region, accountID: accountID, scheduler: scheduler)
    }

    /// Calls `service:operation` (API names, e.g. `dynamodb`, `PutItem`) as the account's administrator.
    /// - Throws: ``AWSError``.
    public func call(_ service: String, _ operation: String, _ request: Document = [:]) throws -> Document {
        switch service {
        case "dynamodb": return try dynamodb.handle(operation, request)
        case "dynamodbstreams": return try dynamodbStreams.handle(operation, request)
        case "kinesis": return try kinesis.handle(operation, request)
        default: throw AWSError("UnknownServiceException", "The simulated account has no service '\(service)'.")
        }
    }
}
