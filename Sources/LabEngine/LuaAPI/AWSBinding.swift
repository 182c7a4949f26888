import CloudSim
import DocumentModel
import LuaBridge

/// Installs the `aws` namespace in a state: `aws.<service>.<snake_case_operation>{...}` for
/// every simulated operation, plus `aws.dynamodb.Table(name)` in boto3's resource style.
enum AWSBinding {
    /// - Parameters:
    ///   - call: performs one call (service, API operation name, request) for this state's identity.
    ///   - yielding: function code: calls made by the running handler suspend it, so the
    ///     platform can perform them in virtual time.
    /// - Returns: for yielding states, the Lua function that marks the handler's coroutine.
    @discardableResult
    static func install(
        in state: LuaState, yielding: Bool, call: @escaping (String, String, Document) throws -> any DocumentWritable
    ) throws -> LuaFunction {
        // The response is written into Lua as it is: GetRecords' writes itself, record by record.
        let hostCall = state.makeRawFunction { stack in
            guard stack.count >= 3, case .string(let service) = try stack.document(1), case .string(let operation) = try stack.document(2) else {
                return 0
            }
            stack.push(writing: try call(service, operation, try stack.document(3)))
            return 1
        }
        let hostRaise = state.makeFunction { args in
            let value = args.first ?? .null
            let fields = value.mapValue ?? [:]
            throw RaisedError(
                code: fields["code"]?.stringValue ?? "Error", message: fields["message"]?.stringValue ?? "\(value)",
                fields: fields.filter { $0.key != "code" && $0.key != "message" && $0.key != "where" })
        }
        let toClient = state.makeFunction { args in
            guard args.count >= 3, let table = args[0].stringValue, let method = args[1].stringValue else { return [] }
            var converted: (String, Document)?
            _ = try ResourceValues.call(table: table, method: method, params: args[2]) { operation, request in
                converted = (operation, request)
                return [:]
            }
            guard let converted else { return [] }
            return [.string(converted.0), converted.1]
        }
        let fromClient = state.makeFunction { args in
            var response = args.first?.mapValue ?? [:]
            for key in ["Item", "Attributes", "LastEvaluatedKey"] {
                if let value = response[key] { response[key] = ResourceValues.plainItem(value) }
            }
            if let items = response["Items"]?.arrayValue { response["Items"] = .array(items.compactMap(ResourceValues.plainItem)) }
            return [.map(response)]
        }
        let results = try state.run(
            script, chunkName: "=aws",
            arguments: [
                operationNames, .callable(hostCall), .callable(hostRaise), .callable(toClient), .callable(fromClient), .bool(yielding),
                .callable(state.makeFunction(suggest)),
            ])
        guard case .callable(let marker as LuaFunction)? = results.first else {
            throw LuaError(kind: .runtime, message: "the aws binding did not initialise")
        }
        return marker
    }

    /// Every service's operations as `{ service = { snake_case = "PascalCase" } }`, from the registry.
    static let operationNames = Document.map(Dictionary(uniqueKeysWithValues: ServiceRegistry.shared.models.map { service, model in
        (service.rawValue, Document.map(model.operationsByPythonName.mapValues { .string($0.name) }))
    }))

    /// `suggest(service, name)`: the nearest operation of `service`, or with no service the
    /// nearest service, for "did you mean".
    private static func suggest(_ args: [Document]) -> [Document] {
        let names: [String]
        if let service = args.first?.stringValue.flatMap(AWSService.init(rawValue:)) {
            names = ServiceRegistry.shared.model(service).operationsByPythonName.keys.sorted()
        } else {
            names = AWSService.allCases.map(\.rawValue)
        }
        guard let name = args.dropFirst().first?.stringValue, let near = NearestName.find(name, among: names) else { return [] }
        return [.string(near)]
    }

    static let script = """
        local operations, hostCall, hostRaise, toClient, fromClient, yielding, suggest = ...
        local running, yield, type, error, tostring, pairs, sort = coroutine.running, coroutine.yield, type, error, tostring, pairs, table.sort
        local handlerThread = nil

        local function invoke(service, operation, params)
          if yielding and handlerThread ~= nil and running() == handlerThread then
            local ok, result = yield("__aws_call", service, operation, params)
            if ok then return result end
            return hostRaise(result)
          end
          return hostCall(service, operation, params)
        end

        local serviceNames = {}
        aws = {}
        for service, ops in pairs(operations) do
          serviceNames[#serviceNames + 1] = service
          local client = {}
          for snake, pascal in pairs(ops) do
            client[snake] = function(params)
              if params == nil then params = {} end
              if type(params) ~= "table" then
                error("aws." .. service .. "." .. snake .. " expects a table of parameters, got " .. type(params), 2)
              end
              return invoke(service, pascal, params)
            end
          end
          aws[service] = setmetatable(client, { __index = function(_, name)
            local near = suggest(service, tostring(name))
            local hint = near and ("; did you mean '" .. near .. "'?") or ""
            error("aws." .. service .. " has no operation '" .. tostring(name) .. "'" .. hint, 2)
          end })
        end
        sort(serviceNames)

        local methods = { "get_item", "put_item", "update_item", "delete_item", "query", "scan" }
        rawset(aws.dynamodb, "Table", function(name)
          if type(name) ~= "string" then error("aws.dynamodb.Table expects a table name", 2) end
          local tbl = { name = name, table_name = name }
          for _, method in ipairs(methods) do
            tbl[method] = function(first, second)
              local params = second
              if first ~= tbl then params = first end
              local operation, request = toClient(name, method, params or {})
              return fromClient(invoke("dynamodb", operation, request))
            end
          end
          return tbl
        end)

        setmetatable(aws, { __index = function(_, name)
          local near = suggest(nil, tostring(name))
          local hint = near and ("; did you mean '" .. near .. "'?") or (" (there are: " .. table.concat(serviceNames, ", ") .. ")")
          error("aws has no service '" .. tostring(name) .. "'" .. hint, 2)
        end })

        return function(thread) handlerThread = thread end
        """
}

/// An AWS error re-raised in Lua after the platform performed a yielded call.
struct RaisedError: CodedError {
    let code: String
    let message: String
    let fields: [String: Document]
}
