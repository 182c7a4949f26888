import DocumentModel

/// Which IAM actions on which resources an API call needs, as the services' authorization
/// references list them.
enum RequiredPermissions {
    /// `service:Operation` action names, built once.
    private static let actions: [String: [String: String]] = CloudAccount.services.mapValues { operations in
        Dictionary(uniqueKeysWithValues: operations.map { ($0, "") })
    }.reduce(into: [:]) { result, entry in
        result[entry.key] = Dictionary(uniqueKeysWithValues: entry.value.keys.map { ($0, "\(entry.key == "dynamodbstreams" ? "dynamodb" : entry.key):\($0)") })
    }

    static func action(_ service: String, _ operation: String) -> String {
        actions[service]?[operation] ?? "\(service):\(operation)"
    }

    /// The (action, resource ARN) pairs a call must be allowed.
    static func of(service: String, operation: String, request: Document, region: String, account: String) -> [(String, String)] {
        let table = { (name: String) -> String in
            name.hasPrefix("arn:") ? name : "arn:aws:dynamodb:\(region):\(account):table/\(name)"
        }
        switch service {
        case "dynamodb":
            switch operation {
            case "ListTables": return [("dynamodb:ListTables", "*")]
            case "BatchWriteItem":
                let tables = request["RequestItems"]?.mapValue ?? [:]
                return tables.keys.sorted().map { ("dynamodb:BatchWriteItem", table($0)) }
            case "BatchGetItem":
                let tables = request["RequestItems"]?.mapValue ?? [:]
                return tables.keys.sorted().map { ("dynamodb:BatchGetItem", table($0)) }
            case "TransactWriteItems":
                // Authorized per item by the item's own action.
                return (request["TransactItems"]?.arrayValue ?? []).compactMap { entry in
                    guard let (kind, body) = entry.mapValue?.first else { return nil }
                    let action: String
                    switch kind {
                    case "Put": action = "dynamodb:PutItem"
                    case "Update": action = "dynamodb:UpdateItem"
                    case "Delete": action = "dynamodb:DeleteItem"
                    default: action = "dynamodb:ConditionCheckItem"
                    }
                    return (action, table(body["TableName"]?.stringValue ?? ""))
                }
            case "TransactGetItems":
                return (request["TransactItems"]?.arrayValue ?? []).map {
                    ("dynamodb:GetItem", table($0["Get"]?["TableName"]?.stringValue ?? ""))
                }
            default:
                return [(action("dynamodb", operation), table(request["TableName"]?.stringValue ?? ""))]
            }
        case "dynamodbstreams":
            // Stream actions use the dynamodb prefix and the stream's ARN.
            let arn: String
            if operation == "GetRecords" {
                arn = request["ShardIterator"]?.stringValue?.split(separator: "|").first.map(String.init) ?? "*"
            } else {
                arn = request["StreamArn"]?.stringValue ?? "*"
            }
            return [("dynamodb:\(operation)", operation == "ListStreams" ? "*" : arn)]
        case "kinesis":
            if operation == "ListStreams" { return [("kinesis:ListStreams", "*")] }
            var name = request["StreamName"]?.stringValue
            if let arn = request["StreamARN"]?.stringValue { return [("kinesis:\(operation)", arn)] }
            if operation == "GetRecords" {
                name = request["ShardIterator"]?.stringValue?.split(separator: "|").first.map(String.init)
            }
            return [("kinesis:\(operation)", "arn:aws:kinesis:\(region):\(account):stream/\(name ?? "")")]
        case "lambda":
            let name = request["FunctionName"]?.stringValue ?? "*"
            let arn = name.hasPrefix("arn:") ? name : "arn:aws:lambda:\(region):\(account):function:\(name)"
            let action = operation == "Invoke" ? "lambda:InvokeFunction" : "lambda:\(operation)"
            return [(action, operation == "ListFunctions" ? "*" : arn)]
        case "logs":
            let group = request["logGroupName"]?.stringValue ?? "*"
            return [("logs:\(operation)", "arn:aws:logs:\(region):\(account):log-group:\(group)")]
        default:
            return [("\(service):\(operation)", "*")]
        }
    }
}
