import CloudSim

/// boto3's snake_case operation names, mapped to the API's PascalCase ones.
enum OperationNames {
    /// `PutItem` → `put_item`, `ListEventSourceMappings` → `list_event_source_mappings`.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        let chars = Array(name)
        for (i, c) in chars.enumerated() {
            if c.isUppercase, i > 0, chars[i - 1].isLowercase || (i + 1 < chars.count && chars[i + 1].isLowercase && chars[i - 1].isUppercase) {
                out.append("_")
            }
            out.append(Character(c.lowercased()))
        }
        return out
    }

    /// Every service's operations as `snake_case: PascalCase`.
    static let table: [String: [String: String]] = CloudAccount.services.mapValues { operations in
        Dictionary(uniqueKeysWithValues: operations.map { (snakeCase($0), $0) })
    }
}
