import CloudSim
import DocumentModel

/// One simulated account as the endpoint serves it.
package struct WireAccount {
    package let credentials: WireCredentials
    package let region: String
    /// Runs one validated request of an operation on the account, as its administrator.
    package let perform: (OperationDescriptor, Document) throws -> Document

    package init(credentials: WireCredentials, region: String, perform: @escaping (OperationDescriptor, Document) throws -> Document) {
        self.credentials = credentials
        self.region = region
        self.perform = perform
    }
}

/// Answers AWS wire requests for the simulated accounts, with no socket in sight: route the
/// request to its operation, verify its signature, read its input by the protocol's rules,
/// perform it on the account the access key names, and write the output or the error as
/// that protocol does. Everything comes from the registry's models.
package final class WireDispatcher {
    private let router: WireRouter
    private let accounts: [String: WireAccount]
    private let wallClock: () -> Double
    /// Requests answered so far, refused ones included.
    package private(set) var served = 0
    /// Response members the model does not have, by operation (a fidelity defect; tests read it).
    package private(set) var unmodelled: [String: [String]] = [:]

    /// - Parameter wallClock: Unix seconds now; only signatures' freshness uses it.
    package init(accounts: [WireAccount], registry: ServiceRegistry = .shared, wallClock: @escaping () -> Double) {
        router = WireRouter(registry: registry)
        self.accounts = Dictionary(accounts.map { ($0.credentials.accessKeyID, $0) }, uniquingKeysWith: { first, _ in first })
        self.wallClock = wallClock
    }

    /// The response to one request. Never throws: every failure is AWS's error for it.
    package func respond(to request: WireRequest) -> WireResponse {
        served += 1
        let requestID = Self.requestID(served)
        let route: WireRouter.Route
        do {
            route = try router.route(request)
        } catch {
            return failure(error, family: Self.guessFamily(request), model: nil, requestID: requestID)
        }
        let family = ProtocolFamily(route.model.wireProtocol)
        do {
            let account = try authenticate(request, route, family)
            let input = try decode(request, route, family)
            let output: Document
            do {
                output = try account.perform(route.operation, input)
            } catch let error as AWSError {
                throw WireFault(error)
            } catch let error as any CodedError {
                throw WireFault(error.code, error.message)
            }
            return success(output, route, family, requestID: requestID)
        } catch let fault as WireFault {
            return failure(fault, family: family, model: route.model, requestID: requestID)
        } catch {
            return failure(WireFault("InternalFailure", "\(error)", status: 500), family: family, model: route.model, requestID: requestID)
        }
    }

    /// AWS's throttling error for the request's service, as its protocol writes it (botocore's
    /// retry modes back off on every one of these codes).
    package func throttled(_ request: WireRequest, message: String) -> WireResponse {
        served += 1
        let route = try? router.route(request)
        let family = route.map { ProtocolFamily($0.model.wireProtocol) } ?? Self.guessFamily(request)
        let code: String
        switch family {
        case .json: code = "ThrottlingException"
        case .restJSON: code = "TooManyRequestsException"
        case .query: code = "Throttling"
        }
        return failure(WireFault(code, message, status: family == .restJSON ? 429 : 400), family: family, model: route?.model, requestID: Self.requestID(served))
    }

    private func authenticate(_ request: WireRequest, _ route: WireRouter.Route, _ family: ProtocolFamily) throws(WireFault) -> WireAccount {
        do {
            let auth = try SignatureV4.authorization(request)
            guard let account = accounts[auth.accessKeyID] else { throw SignatureFailure.unknownAccessKey }
            _ = try SignatureV4.verify(request, auth, region: account.region, now: wallClock()) { _ in account.credentials.secretAccessKey }
            guard auth.service == route.model.signingName else {
                throw SignatureFailure.malformed("Credential should be scoped to correct service: '\(route.model.signingName)'.")
            }
            return account
        } catch let failure as SignatureFailure {
            throw family.fault(failure)
        } catch {
            throw WireFault("InternalFailure", "\(error)", status: 500)
        }
    }

    private func decode(_ request: WireRequest, _ route: WireRouter.Route, _ family: ProtocolFamily) throws(WireFault) -> Document {
        switch family {
        case .json:
            guard let input = route.operation.input else { return [:] }
            let body = request.body.isEmpty ? Document.map([:]) : try JSONBody.parse(request.body)
            return try ShapeCodec(model: route.model).decode(body, input, path: "")
        case .restJSON:
            return try RESTBinding(model: route.model).decode(request, route)
        case .query:
            return try QueryForm(model: route.model, fields: route.form).decode(route.operation)
        }
    }

    private func success(_ output: Document, _ route: WireRouter.Route, _ family: ProtocolFamily, requestID: String) -> WireResponse {
        var unmodelled: [String] = []
        defer {
            if !unmodelled.isEmpty { self.unmodelled["\(route.model.service.rawValue).\(route.operation.name)", default: []] += unmodelled }
        }
        switch family {
        case .json:
            let body = route.operation.output.map { ShapeCodec(model: route.model).encode(output, $0, path: "", unmodelled: &unmodelled) } ?? [:]
            return WireResponse(
                status: 200, headers: [("Content-Type", contentType(route.model)), ("x-amzn-RequestId", requestID)], body: JSONBody.bytes(body))
        case .restJSON:
            let (status, headers, body) = RESTBinding(model: route.model).encode(output, route.operation, unmodelled: &unmodelled)
            return WireResponse(status: status, headers: headers + [("x-amzn-RequestId", requestID)], body: body)
        case .query:
            let body = XMLResponse(model: route.model).success(output, route.operation, requestID: requestID, unmodelled: &unmodelled)
            return WireResponse(status: 200, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", requestID)], body: body)
        }
    }

    /// An error as the protocol writes it, so that botocore raises the `ClientError` (and the
    /// modelled exception class) AWS's would: awsJson's `__type` and `message`
    /// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html),
    /// restJson1's `x-amzn-ErrorType` header, the query protocol's `<ErrorResponse>`.
    private func failure(_ fault: WireFault, family: ProtocolFamily, model: ServiceModel?, requestID: String) -> WireResponse {
        let code = Self.wireCode(fault.code, family)
        let status = fault.status ?? model.flatMap { Self.modelStatus(code, $0) } ?? Self.defaultStatus(code, family)
        switch family {
        case .json:
            var body = fault.fields
            let prefix = model?.signingName == "dynamodb" ? "com.amazonaws.dynamodb.v20120810#" : ""
            body["__type"] = .string(prefix + code)
            body["message"] = .string(fault.message)
            var headers = [("Content-Type", model.map(contentType) ?? "application/x-amz-json-1.1"), ("x-amzn-RequestId", requestID)]
            // SQS moved from the query protocol to JSON and still names its errors by their old
            // codes in this header; botocore reports that code and raises the shape's exception.
            if model?.service == .sqs {
                headers.append(("x-amzn-query-error", "\(SQS.queryErrorCodes[code] ?? code);\(status < 500 ? "Sender" : "Receiver")"))
            }
            return WireResponse(status: status, headers: headers, body: JSONBody.bytes(.map(body)))
        case .restJSON:
            var body = fault.fields
            body["Type"] = status >= 500 ? "Service" : "User"
            body["message"] = .string(fault.message)
            return WireResponse(
                status: status,
                headers: [("Content-Type", "application/json"), ("x-amzn-ErrorType", code), ("x-amzn-RequestId", requestID)],
                body: JSONBody.bytes(.map(body)))
        case .query:
            let writer = XMLResponse(model: model ?? ServiceRegistry.shared.model(.iam))
            return WireResponse(
                status: status, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", requestID)],
                body: writer.error(code: code, message: fault.message, sender: status < 500, requestID: requestID))
        }
    }

    private func contentType(_ model: ServiceModel) -> String { "application/x-amz-json-\(model.jsonVersion ?? "1.1")" }

    /// The few codes that differ by protocol family: IAM says `AccessDenied` and `ValidationError`
    /// where the JSON services say `AccessDeniedException` and `ValidationException`; a request
    /// botocore would have refused before sending is a serialization fault on the wire.
    static func wireCode(_ code: String, _ family: ProtocolFamily) -> String {
        switch (code, family) {
        case ("AccessDeniedException", .query): return "AccessDenied"
        case ("ValidationException", .query): return "ValidationError"
        case ("ParamValidationError", .query): return "InvalidParameterValue"
        case ("ParamValidationError", _): return "SerializationException"
        default: return code
        }
    }

    /// The status of a modelled error shape with this code.
    static func modelStatus(_ code: String, _ model: ServiceModel) -> Int? {
        model.shapes.first { $0.errorCode == code }?.httpStatus
    }

    static func defaultStatus(_ code: String, _ family: ProtocolFamily) -> Int {
        switch code {
        case "InternalFailure", "InternalServerError", "ServiceException", "ServiceUnavailable": return 500
        case "AccessDenied", "AccessDeniedException": return family == .json ? 400 : 403
        case "ResourceNotFoundException": return family == .restJSON ? 404 : 400
        case "ThrottlingException", "TooManyRequestsException": return family == .restJSON ? 429 : 400
        default: return 400
        }
    }

    /// The family a request looks like when no operation could be found for it.
    private static func guessFamily(_ request: WireRequest) -> ProtocolFamily {
        if request.header("X-Amz-Target") != nil { return .json }
        if request.header("Content-Type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true { return .query }
        return .restJSON
    }

    /// A request ID as AWS's look (a UUID), counted: the same requests get the same IDs.
    static func requestID(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }
}
