import CLua
import DocumentModel
import LuaShim

extension LuaState {
    /// Sets the C trampoline's dispatch once per process.
    static let installDispatch: Void = {
        luashim_set_dispatch { thread, owner, index in
            guard let thread, let owner else { return -1 }
            let state = Unmanaged<LuaState>.fromOpaque(owner).takeUnretainedValue()
            return state.dispatch(on: thread, index: Int(index))
        }
    }()

    func pushHostFunction(_ body: @escaping HostFunction, on L: OpaquePointer) {
        hostFunctions.append(.documents(body))
        luashim_push_host_function(L, Unmanaged.passUnretained(self).toOpaque(), Int64(hostFunctions.count - 1))
    }

    /// Installs a host function that works on the Lua stack directly, at a dotted global path.
    /// For hot paths (decoding JSON, base64) where building documents would dominate.
    public func registerRaw(_ path: String, _ body: @escaping RawHostFunction) {
        hostFunctions.append(.raw(body))
        let index = Int64(hostFunctions.count - 1)
        installAtPath(path) { L in luashim_push_host_function(L, Unmanaged.passUnretained(self).toOpaque(), index) }
    }

    /// Wraps a Swift closure that works on the Lua stack directly as a Lua function value.
    public func makeRawFunction(_ body: @escaping RawHostFunction) -> LuaFunction {
        hostFunctions.append(.raw(body))
        luashim_push_host_function(L, Unmanaged.passUnretained(self).toOpaque(), Int64(hostFunctions.count - 1))
        return LuaFunction(state: self, ref: luaL_ref(L, luashim_registryindex()))
    }

    /// Runs host function `index` with the arguments on `thread`'s stack. Returns the number
    /// of results, or -1 with an error value pushed (the trampoline raises it).
    fileprivate func dispatch(on thread: OpaquePointer, index: Int) -> Int32 {
        guard index >= 0, index < hostFunctions.count else { return -1 }
        let body: HostFunction
        switch hostFunctions[index] {
        case .documents(let function): body = function
        case .raw(let function):
            do {
                return Int32(try function(LuaStack(L: thread, state: self)))
            } catch {
                pushError(error, on: thread)
                return -1
            }
        }
        let count = lua_gettop(thread)
        var arguments: [Document] = []
        arguments.reserveCapacity(Int(count))
        do {
            if count > 0 {
                for i in 1...count { arguments.append(try document(at: i, on: thread, keepFunctions: true)) }
            }
            let results = try body(arguments)
            lua_checkstack(thread, Int32(clamping: results.count + 2))
            for result in results { push(result, on: thread) }
            return Int32(results.count)
        } catch {
            pushError(error, on: thread)
            return -1
        }
    }

    /// Pushes a Swift error as a Lua error table `{code=…, message=…}` whose `tostring`
    /// reads `code: message`, and remembers the Swift error behind it.
    func pushError(_ thrown: any Error, on thread: OpaquePointer) {
        // A host error that passed through nested Lua keeps its identity.
        let error = (thrown as? LuaError)?.hostError ?? thrown
        var fields: [String: Document]
        switch error {
        case let coded as any CodedError:
            fields = coded.fields
            fields["code"] = .string(coded.code)
            fields["message"] = .string(coded.message)
        case let lua as LuaError:
            if let value = lua.value, case .map(let m) = value {
                fields = m
            } else {
                fields = ["code": "LuaError", "message": .string(lua.description)]
            }
        default:
            fields = ["code": "HostError", "message": .string(String(describing: error))]
        }
        push(.map(fields), on: thread)
        if lua_getfield(thread, luashim_registryindex(), "labengine.error") == LUA_TTABLE {
            lua_setmetatable(thread, -2)
        } else {
            luashim_pop(thread, 1)
        }
        rememberHostError(error, tableAt: -1, on: thread)
    }
}
