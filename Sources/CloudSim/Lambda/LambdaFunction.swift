import DocumentModel

/// A Lambda function's configuration and code.
public final class LambdaFunction {
    public let name: String
    public let arn: String
    public internal(set) var role: String
    public internal(set) var handler: String
    public internal(set) var runtime: String
    /// Timeout in seconds (1–900).
    public internal(set) var timeout: Int
    public internal(set) var memorySize: Int
    /// The Lua source of the function, and the path it came from (for error messages).
    public internal(set) var source: String
    public internal(set) var sourcePath: String
    public internal(set) var environment: [String: String]
    /// Reserved concurrency, when set (0 stops all invocations).
    public internal(set) var reservedConcurrency: Int?
    public internal(set) var lastModified: VirtualTime
    /// Bumped on each code or configuration change; warm environments of older revisions are dropped.
    var revision = 0
    var idle: [(revision: Int, environment: any FunctionEnvironment)] = []
    public internal(set) var running = 0

    init(
        name: String, arn: String, role: String, handler: String, runtime: String, timeout: Int, memorySize: Int,
        source: String, sourcePath: String, environment: [String: String], created: VirtualTime
    ) {
        self.name = name
        self.arn = arn
        self.role = role
        self.handler = handler
        self.runtime = runtime
        self.timeout = timeout
        self.memorySize = memorySize
        self.source = source
        self.sourcePath = sourcePath
        self.environment = environment
        self.lastModified = created
    }

    /// The log group of the function.
    public var logGroup: String { "/aws/lambda/\(name)" }

    func configuration() -> Document {
        var d: [String: Document] = [
            "FunctionName": .string(name), "FunctionArn": .string(arn), "Role": .string(role), "Handler": .string(handler),
            "Runtime": .string(runtime), "Timeout": .int(Int64(timeout)), "MemorySize": .int(Int64(memorySize)),
            "LastModified": .double(lastModified.unixSeconds), "State": "Active", "LastUpdateStatus": "Successful",
            "CodeSize": .int(Int64(source.utf8.count)), "Version": "$LATEST", "PackageType": "Zip",
        ]
        if !environment.isEmpty { d["Environment"] = ["Variables": .map(environment.mapValues { .string($0) })] }
        return .map(d)
    }
}

extension VirtualTime {
    /// The Unix time this instant stands for: the simulation's epoch is 2024-01-01T00:00:00Z.
    public var unixSeconds: Double { seconds + 1_704_067_200 }
}
