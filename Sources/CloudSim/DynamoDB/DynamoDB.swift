import DocumentModel

/// The simulated DynamoDB service of one account and region.
///
/// Operations take and return AWS-shaped documents (the JSON protocol's shapes) and run at
/// the scheduler's current virtual time.
public final class DynamoDB {
    public let region: String
    public let accountID: String
    let scheduler: Scheduler
    let latency: LatencyModel
    var random: SeededRandom
    let cache = ExpressionCache()
    public internal(set) var tables: [String: Table] = [:]
    /// Shards of each new stream (DynamoDB derives this from partitions; see docs/fidelity.md).
    public var streamShardCount = 4
    /// When the last transaction on each item committed: a later call that was sent before
    /// then overlapped it, and conflicts with it.
    var locks: [ItemRef: VirtualTime] = [:]
    /// The window of the call being executed.
    var window = CallWindow.instant(.zero)
    /// ClientRequestTokens seen in the last 10 minutes.
    var tokens: [String: (fingerprint: String, time: VirtualTime)] = [:]
    /// TransactWriteItems calls so far, as CloudWatch would count them: how many carried a
    /// ClientRequestToken and how many a token made a no-op (a retry recognised).
    public internal(set) var transactionCounts = TransactionCounts()
    static let tokenLifetime = VirtualDuration.minutes(10)

    struct ItemRef: Hashable {
        let table: String
        let key: PrimaryKey
    }

    public init(region: String, accountID: String, scheduler: Scheduler, latency: LatencyModel, seed: UInt64) {
        self.region = region
        self.accountID = accountID
        self.scheduler = scheduler
        self.latency = latency
        random = SeededRandom(seed: seed, stream: "dynamodb")
    }

    /// Runs one operation, its request already validated against the model.
    /// - Throws: ``AWSError`` with DynamoDB's code and message; on error nothing changes.
    func execute(_ operation: OperationDescriptor, _ request: Document, during window: CallWindow) throws -> Document {
        self.window = window
        switch operation.name {
        case "CreateTable": return try createTable(request)
        case "DescribeTable": return try describeTable(request)
        case "ListTables": return try listTables(request)
        case "UpdateTable": return try updateTable(request)
        case "DeleteTable": return try deleteTable(request)
        case "PutItem": return try putItem(request)
        case "GetItem": return try getItem(request)
        case "DeleteItem": return try deleteItem(request)
        case "UpdateItem": return try updateItem(request)
        case "Query": return try query(request)
        case "Scan": return try scan(request)
        case "BatchWriteItem": return try batchWriteItem(request)
        case "BatchGetItem": return try batchGetItem(request)
        case "TransactWriteItems": return try transactWriteItems(request)
        case "TransactGetItems": return try transactGetItems(request)
        default: throw ServiceRegistry.shared.unknownOperation(.dynamodb, operation.name)
        }
    }

    /// UpdateItem with an input read straight from a function's request (``TypedRequest``).
    func updateItem(_ input: KeyedItemInput, during window: CallWindow) throws -> Document {
        self.window = window
        return try updateItem(input)
    }

    var now: VirtualTime { scheduler.now }

    /// The table named in a request, or ResourceNotFoundException.
    func table(_ name: String) throws(AWSError) -> Table {
        guard let table = tables[name] else {
            throw AWSError.notFound("Requested resource not found: Table: \(name) not found")
        }
        return table
    }

    /// Looks a table up by name or ARN (the API accepts both).
    func table(named nameOrArn: String) throws(AWSError) -> Table {
        if nameOrArn.hasPrefix("arn:"), let name = nameOrArn.split(separator: "/").dropFirst().first {
            return try table(String(name))
        }
        return try table(nameOrArn)
    }

    /// The stream with this ARN, current or former.
    public func stream(arn: String) -> TableStream? {
        for name in tables.keys.sorted() {
            guard let table = tables[name] else { continue }
            if let current = table.stream, current.arn == arn, current.readable(at: now) { return current }
            if let old = table.formerStreams.first(where: { $0.arn == arn && $0.readable(at: now) }) { return old }
        }
        return nil
    }

    /// Whether a transaction on the item was in flight while this call was.
    func inFlightTransaction(on table: Table, _ key: PrimaryKey) -> Bool {
        guard let committed = locks[ItemRef(table: table.name, key: key)] else { return false }
        return committed > window.start
    }

    /// Refuses a write to an item that a transaction held while the write was in flight.
    func checkNotLocked(_ table: Table, _ key: PrimaryKey) throws(AWSError) {
        if inFlightTransaction(on: table, key) {
            throw AWSError(
                "TransactionConflictException",
                "Transaction is ongoing for the item")
        }
    }
}
