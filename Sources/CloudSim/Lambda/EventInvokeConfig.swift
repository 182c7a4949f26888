import DocumentModel

/// How a function's asynchronous invocations retry, how long their events may wait, and
/// where their records go
/// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configuring.html).
struct EventInvokeConfig {
    /// 0–2; Lambda's default is 2.
    var maximumRetryAttempts: Int?
    /// 60–21,600 s; Lambda's default is 6 hours.
    var maximumEventAge: Int?
    var onSuccess: String?
    var onFailure: String?
    var lastModified: VirtualTime

    var retries: Int { maximumRetryAttempts ?? 2 }
    var eventAge: VirtualDuration { .seconds(Double(maximumEventAge ?? 21_600)) }

    func document(functionArn: String) -> Document {
        var out: [String: Document] = ["FunctionArn": .string(functionArn + ":$LATEST"), "LastModified": .double(lastModified.unixSeconds)]
        if let maximumRetryAttempts { out["MaximumRetryAttempts"] = .int(Int64(maximumRetryAttempts)) }
        if let maximumEventAge { out["MaximumEventAgeInSeconds"] = .int(Int64(maximumEventAge)) }
        var destinations: [String: Document] = [:]
        if let onSuccess { destinations["OnSuccess"] = ["Destination": .string(onSuccess)] }
        if let onFailure { destinations["OnFailure"] = ["Destination": .string(onFailure)] }
        out["DestinationConfig"] = .map(destinations)
        return .map(out)
    }
}

extension Lambda {
    /// Put (replace), Update (merge), Get, Delete and List of a function's event invoke config.
    func eventInvokeConfigOperation(_ name: String, _ p: Params) throws -> Document {
        let function = try function(try p.string("FunctionName"))
        if let qualifier = try p.optionalString("Qualifier"), qualifier != "$LATEST" {
            throw AWSError("InvalidParameterValueException", "The simulated account has no versions or aliases: use $LATEST or no qualifier.")
        }
        let missing = AWSError(
            "ResourceNotFoundException", "The function \(function.arn):$LATEST doesn't have an EventInvokeConfig")
        switch name {
        case "GetFunctionEventInvokeConfig":
            guard let config = function.eventInvokeConfig else { throw missing }
            return config.document(functionArn: function.arn)
        case "DeleteFunctionEventInvokeConfig":
            guard function.eventInvokeConfig != nil else { throw missing }
            function.eventInvokeConfig = nil
            return [:]
        case "ListFunctionEventInvokeConfigs":
            return ["FunctionEventInvokeConfigs": .array(function.eventInvokeConfig.map { [$0.document(functionArn: function.arn)] } ?? [])]
        default:
            let merging = name == "UpdateFunctionEventInvokeConfig"
            var config = (merging ? function.eventInvokeConfig : nil) ?? EventInvokeConfig(lastModified: scheduler.now)
            if let retries = try p.optionalInt("MaximumRetryAttempts", in: 0...2) { config.maximumRetryAttempts = retries }
            if let age = try p.optionalInt("MaximumEventAgeInSeconds", in: 60...21_600) { config.maximumEventAge = age }
            if let destinations = try p.optionalMap("DestinationConfig") {
                for (key, value) in destinations {
                    let arn = value["Destination"]?.stringValue
                    if let arn { try checkDestination(arn, role: function.role, asynchronous: true) }
                    switch key {
                    case "OnSuccess": config.onSuccess = arn
                    case "OnFailure": config.onFailure = arn
                    default: break
                    }
                }
            }
            config.lastModified = scheduler.now
            function.eventInvokeConfig = config
            return config.document(functionArn: function.arn)
        }
    }
}
