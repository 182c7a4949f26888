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
    /// The function's code, with its size and hash.
    var stored: StoredCode
    /// The function's Lua code.
    public var code: FunctionCode { stored.code }
    public internal(set) var environment: [String: String]
    /// Reserved concurrency, when set (0 stops all invocations).
    public internal(set) var reservedConcurrency: Int?
    public internal(set) var lastModified: VirtualTime
    /// Bumped on each code or configuration change; warm environments of older revisions are dropped.
    var revision = 0
    var idle: [(revision: Int, environment: any FunctionEnvironment)] = []
    public internal(set) var running = 0
    /// The instructions the engine has run this function's code for (see ``Lambda/cpuTime``).
    var instructionsRun = 0
    /// The statements AddPermission added, in order, and the resource-based policy they make.
    var permissions: [(sid: String, statement: Document)] = [] {
        didSet { policy = Self.policy(of: permissions) }
    }
    public private(set) var policy: PolicyDocument?
    /// How asynchronous invocations retry and where their records go (PutFunctionEventInvokeConfig).
    var eventInvokeConfig: EventInvokeConfig?
    /// Records of asynchronous invocations that no destination took (gone, or refused).
    public internal(set) var destinationFailures = 0

    init(
        name: String, arn: String, role: String, handler: String, runtime: String, timeout: Int, memorySize: Int,
        code: StoredCode, environment: [String: String], created: VirtualTime
    ) {
        self.name = name
        self.arn = arn
        self.role = role
        self.handler = handler
        self.runtime = runtime
        self.timeout = timeout
        self.memorySize = memorySize
        stored = code
        self.environment = environment
        self.lastModified = created
    }

    /// The function's policy document, as GetPolicy returns it.
    var policyText: String? {
        guard !permissions.isEmpty else { return nil }
        let document: Document = ["Version": "2012-10-17", "Id": "default", "Statement": .array(permissions.map(\.statement))]
        return try? document.jsonText()
    }

    private static func policy(of permissions: [(sid: String, statement: Document)]) -> PolicyDocument? {
        guard !permissions.isEmpty else { return nil }
        let document: Document = ["Version": "2012-10-17", "Statement": .array(permissions.map(\.statement))]
        return (try? document.jsonText()).flatMap { try? PolicyDocument(text: $0, kind: .resource) }
    }

    /// The log group of the function.
    public var logGroup: String { "/aws/lambda/\(name)" }

    func configuration() -> Document {
        var d: [String: Document] = [
            "FunctionName": .string(name), "FunctionArn": .string(arn), "Role": .string(role), "Handler": .string(handler),
            "Runtime": .string(runtime), "Timeout": .int(Int64(timeout)), "MemorySize": .int(Int64(memorySize)),
            "LastModified": .string(UnixTimeText.iso8601(lastModified.unixSeconds, zone: "+0000")), "State": "Active", "LastUpdateStatus": "Successful",
            "CodeSize": .int(Int64(stored.size)), "CodeSha256": .string(stored.sha256), "Version": "$LATEST", "PackageType": "Zip",
        ]
        if !environment.isEmpty { d["Environment"] = ["Variables": .map(environment.mapValues { .string($0) })] }
        return .map(d)
    }
}
