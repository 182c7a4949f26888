import DocumentModel

/// Which resource an operation is authorized on, and how its ARN is formed from the
/// request, as the services' authorization references list them. Written in the
/// generator's OPERATIONS table as `form:Member`.
package enum ResourceForm: Sendable, Equatable {
    /// No resource-level permissions: `*`.
    case any
    /// No permission at all (STS GetCallerIdentity: "No permissions are required").
    case none
    /// A DynamoDB table named (or ARN'd) by the member.
    case table(String)
    /// Every table keyed in the member's map (batch operations), one permission each.
    case tables(String)
    /// Each transaction item, authorized by its own action (Put → PutItem, …).
    case transactWrite(String)
    case transactGet(String)
    /// A DynamoDB stream by ARN, or the stream of a shard iterator.
    case stream(String)
    case streamOfIterator(String)
    /// A Kinesis stream by name (or `StreamARN` when given), or the stream of a shard iterator.
    case kinesisStream(String)
    case kinesisStreamOfIterator(String)
    /// A Lambda function by name or ARN (`function:*` when the request names none).
    case function(String)
    /// A log group (name or prefix), `*` when absent.
    case logGroup(String)
    /// An SQS queue by URL (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`), or by name.
    case queue(String)
    case queueName(String)
    /// An SNS topic by ARN (`TargetArn` too, for Publish), by name (CreateTopic), or the
    /// topic of a subscription ARN (`TOPIC-ARN:ID`).
    case topic(String)
    case topicName(String)
    case topicOfSubscription(String)

    /// Parses the generator's notation (`table:TableName`, `*`).
    init?(notation: String) {
        if notation == "*" || notation == "none" {
            self = notation == "*" ? .any : .none
            return
        }
        let parts = notation.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let member = parts[1]
        switch parts[0] {
        case "table": self = .table(member)
        case "tables": self = .tables(member)
        case "transact-write": self = .transactWrite(member)
        case "transact-get": self = .transactGet(member)
        case "stream": self = .stream(member)
        case "stream-iterator": self = .streamOfIterator(member)
        case "kinesis-stream": self = .kinesisStream(member)
        case "kinesis-iterator": self = .kinesisStreamOfIterator(member)
        case "function": self = .function(member)
        case "log-group": self = .logGroup(member)
        case "queue": self = .queue(member)
        case "queue-name": self = .queueName(member)
        case "topic": self = .topic(member)
        case "topic-name": self = .topicName(member)
        case "subscription": self = .topicOfSubscription(member)
        default: return nil
        }
    }

    /// The (action, resource ARN) pairs a call with `request` must be allowed.
    func permissions(action: String, request: Document, scope: ARNScope) -> [(String, String)] {
        let (region, account) = (scope.region, scope.account)
        let table = scope.tableARN
        let iteratorStream = { (member: String) -> String? in
            request[member]?.stringValue?.split(separator: "|").first.map(String.init)
        }
        switch self {
        case .none: return []
        case .any:
            return [(action, "*")]
        case .table(let member):
            return [(action, table(request[member]?.stringValue ?? ""))]
        case .tables(let member):
            return (request[member]?.mapValue ?? [:]).keys.sorted().map { (action, table($0)) }
        case .transactWrite(let member):
            return (request[member]?.arrayValue ?? []).compactMap { entry in
                guard let (kind, body) = entry.mapValue?.first else { return nil }
                let itemAction: String
                switch kind {
                case "Put": itemAction = "dynamodb:PutItem"
                case "Update": itemAction = "dynamodb:UpdateItem"
                case "Delete": itemAction = "dynamodb:DeleteItem"
                default: itemAction = "dynamodb:ConditionCheckItem"
                }
                return (itemAction, table(body["TableName"]?.stringValue ?? ""))
            }
        case .transactGet(let member):
            return (request[member]?.arrayValue ?? []).map {
                ("dynamodb:GetItem", table($0["Get"]?["TableName"]?.stringValue ?? ""))
            }
        case .stream(let member):
            return [(action, request[member]?.stringValue ?? "*")]
        case .streamOfIterator(let member):
            return [(action, iteratorStream(member) ?? "*")]
        case .kinesisStream(let member):
            if let arn = request["StreamARN"]?.stringValue { return [(action, arn)] }
            return [(action, "arn:aws:kinesis:\(region):\(account):stream/\(request[member]?.stringValue ?? "")")]
        case .kinesisStreamOfIterator(let member):
            if let arn = request["StreamARN"]?.stringValue { return [(action, arn)] }
            return [(action, "arn:aws:kinesis:\(region):\(account):stream/\(iteratorStream(member) ?? "")")]
        case .function(let member):
            let name = request[member]?.stringValue ?? "*"
            return [(action, name.hasPrefix("arn:") ? name : "arn:aws:lambda:\(region):\(account):function:\(name)")]
        case .logGroup(let member):
            return [(action, "arn:aws:logs:\(region):\(account):log-group:\(request[member]?.stringValue ?? "*")")]
        case .queue(let member):
            // The URL's last two parts are the owner and the name.
            let parts = (request[member]?.stringValue ?? "").split(separator: "/").suffix(2).map(String.init)
            let owner = parts.count == 2 ? parts[0] : account
            return [(action, "arn:aws:sqs:\(region):\(owner):\(parts.last ?? "")")]
        case .queueName(let member):
            return [(action, "arn:aws:sqs:\(region):\(account):\(request[member]?.stringValue ?? "")")]
        case .topic(let member):
            return [(action, request[member]?.stringValue ?? request["TargetArn"]?.stringValue ?? "*")]
        case .topicName(let member):
            return [(action, "arn:aws:sns:\(region):\(account):\(request[member]?.stringValue ?? "")")]
        case .topicOfSubscription(let member):
            let arn = request[member]?.stringValue ?? ""
            return [(action, arn.split(separator: ":", omittingEmptySubsequences: false).dropLast().joined(separator: ":"))]
        }
    }
}

extension ResourceForm {
    /// What a request read straight from Lua needs (its table, for the item operations);
    /// any other form reads its document.
    func permissions(action: String, typed: TypedRequest, scope: ARNScope) -> [(String, String)] {
        if case .table("TableName") = self { return [(action, scope.tableARN(typed.tableName))] }
        return permissions(action: action, request: typed.document, scope: scope)
    }
}

/// Where the ARNs a call is authorized against live: the account's region and ID.
struct ARNScope {
    let region: String
    let account: String
    /// `arn:aws:dynamodb:REGION:ACCOUNT:table/`
    let tablePrefix: String

    init(region: String, account: String) {
        self.region = region
        self.account = account
        tablePrefix = "arn:aws:dynamodb:\(region):\(account):table/"
    }

    /// A table's ARN from its name (or ARN): every item call of function code names a table,
    /// so this is one concatenation.
    func tableARN(_ name: String) -> String { name.hasPrefix("arn:") ? name : tablePrefix + name }
}
