import DocumentModel

extension DynamoDB {
    func createTable(_ request: Document) throws -> Document {
        let p = try Params(request)
        let name = try p.string("TableName")
        try Self.checkTableName(name)
        guard tables[name] == nil else {
            throw AWSError("ResourceInUseException", "Table already exists: \(name)")
        }
        var definitions: [KeyAttribute] = []
        for (i, d) in try p.list("AttributeDefinitions").enumerated() {
            let dp = try Params(d)
            let type = try dp.choice("AttributeType", ["S", "N", "B"])
            _ = i
            definitions.append(KeyAttribute(name: try dp.string("AttributeName"), type: type))
        }
        let schema = try p.list("KeySchema")
        var hash: KeyAttribute?
        var range: KeyAttribute?
        for element in schema {
            let ep = try Params(element)
            let attribute = try ep.string("AttributeName")
            let keyType = try ep.choice("KeyType", ["HASH", "RANGE"])
            guard let definition = definitions.first(where: { $0.name == attribute }) else {
                throw AWSError.validation(
                    "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [\(attribute)], AttributeDefinitions: [\(definitions.map(\.name).joined(separator: ", "))]")
            }
            if keyType == "HASH" { hash = definition } else { range = definition }
        }
        guard let hash else {
            throw AWSError.validation("1 validation error detected: the KeySchema has no HASH key")
        }
        if definitions.count != schema.count {
            throw AWSError.validation(
                "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
        }
        let billing = try p.choice("BillingMode", ["PROVISIONED", "PAY_PER_REQUEST"], default: "PROVISIONED")
        let table = Table(
            name: name, arn: "arn:aws:dynamodb:\(region):\(accountID):table/\(name)", partitionKey: hash, sortKey: range,
            definitions: definitions, creationTime: now, billingMode: billing)
        if let spec = try p.optionalMap("StreamSpecification") {
            try configureStream(table, spec)
        }
        tables[name] = table
        return ["TableDescription": describe(table, status: "ACTIVE")]
    }

    static func checkTableName(_ name: String) throws(AWSError) {
        let valid =
            (3...255).contains(name.count)
            && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0) }
        if !valid {
            throw AWSError.validation(
                "1 validation error detected: Value '\(name)' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 3 and 255")
        }
    }

    /// Turns the stream on or off per a StreamSpecification.
    func configureStream(_ table: Table, _ spec: [String: Document]) throws {
        let sp = try Params(.map(spec))
        let enabled = try sp.optionalBool("StreamEnabled") ?? false
        if enabled {
            let view = try sp.choice("StreamViewType", ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"])
            if let current = table.stream, current.enabled {
                throw AWSError.validation("Table already has an enabled stream: \(current.arn)")
            }
            // "If you disable and then re-enable a stream on the table, a new stream is created
            // with a different stream descriptor" (docs/fidelity.md): its label is its creation
            // time, a millisecond after the last one's when the clock has not moved since.
            var created = now
            if let old = table.stream {
                table.formerStreams.append(old)
                created = max(created, old.created + .milliseconds(1))
            }
            table.formerStreams.removeAll { !$0.readable(at: now) }
            let label = Self.streamLabel(created)
            table.stream = TableStream(
                arn: "\(table.arn)/stream/\(label)", label: label, tableName: table.name, viewType: view, created: created,
                shardCount: streamShardCount, random: SeededRandom(seed: random.next()))
        } else {
            if sp.has("StreamViewType") && table.stream == nil {
                throw AWSError.validation("One or more parameter values were invalid: StreamViewType is not allowed when the stream is disabled")
            }
            guard let current = table.stream, current.enabled else {
                if table.stream == nil && !sp.has("StreamEnabled") { return }
                throw AWSError.validation("Table already has no enabled stream")
            }
            current.enabled = false
            current.disabledAt = now
        }
    }

    /// A stream label is the creation time in ISO 8601, as AWS writes it.
    static func streamLabel(_ time: VirtualTime) -> String {
        // The simulation's epoch is 2024-01-01T00:00:00.000 UTC.
        let totalMillis = time.milliseconds
        let days = Int(totalMillis / 86_400_000)
        var remainder = Int(totalMillis % 86_400_000)
        let hours = remainder / 3_600_000
        remainder %= 3_600_000
        let minutes = remainder / 60_000
        remainder %= 60_000
        let seconds = remainder / 1000
        let millis = remainder % 1000
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let day = 1 + days % 28
        let month = 1 + (days / 28) % 12
        return "2024-\(two(month))-\(two(day))T\(two(hours)):\(two(minutes)):\(two(seconds)).\(String(1000 + millis).dropFirst())"
    }

    func describe(_ table: Table, status: String) -> Document {
        var d: [String: Document] = [
            "TableName": .string(table.name),
            "TableArn": .string(table.arn),
            "TableId": .string(table.arn),
            "TableStatus": .string(status),
            "ItemCount": .int(Int64(table.itemCount)),
            "TableSizeBytes": .int(Int64(table.items.values.reduce(0) { $0 + ItemCodec.size($1) })),
            "CreationDateTime": .double(table.creationTime.unixSeconds),
            "KeySchema": .array(
                [["AttributeName": .string(table.partitionKey.name), "KeyType": "HASH"]]
                    + (table.sortKey.map { [["AttributeName": .string($0.name), "KeyType": "RANGE"]] } ?? [])),
            "AttributeDefinitions": .array(
                table.attributeDefinitions.map { ["AttributeName": .string($0.name), "AttributeType": .string($0.type)] }),
            "BillingModeSummary": ["BillingMode": .string(table.billingMode)],
        ]
        if let stream = table.stream {
            d["LatestStreamArn"] = .string(stream.arn)
            d["LatestStreamLabel"] = .string(stream.label)
            d["StreamSpecification"] =
                stream.enabled
                ? ["StreamEnabled": true, "StreamViewType": .string(stream.viewType)] : ["StreamEnabled": false]
        }
        return .map(d)
    }

    func describeTable(_ request: Document) throws -> Document {
        let p = try Params(request)
        return ["Table": describe(try table(named: try p.string("TableName")), status: "ACTIVE")]
    }

    func listTables(_ request: Document) throws -> Document {
        let p = try Params(request)
        let limit = try p.optionalInt("Limit", in: 1...100) ?? 100
        let start = try p.optionalString("ExclusiveStartTableName")
        let names = tables.keys.sorted().filter { start == nil || $0 > start ?? "" }
        var result: [String: Document] = ["TableNames": .array(names.prefix(limit).map { .string($0) })]
        if names.count > limit, let last = names.prefix(limit).last { result["LastEvaluatedTableName"] = .string(last) }
        return .map(result)
    }

    func updateTable(_ request: Document) throws -> Document {
        let p = try Params(request)
        let table = try table(named: try p.string("TableName"))
        if let spec = try p.optionalMap("StreamSpecification") { try configureStream(table, spec) }
        return ["TableDescription": describe(table, status: "ACTIVE")]
    }

    func deleteTable(_ request: Document) throws -> Document {
        let p = try Params(request)
        let table = try table(named: try p.string("TableName"))
        let description = describe(table, status: "DELETING")
        tables[table.name] = nil
        return ["TableDescription": description]
    }
}
