import CLua
import DocumentModel
import LuaShim

/// Turns a fresh state with the safe libraries into the sandbox every script runs in.
enum Sandbox {
    /// Globals the sandbox removes; what stays is data, not code, so it is easy to audit.
    static let removedGlobals = ["dofile", "loadfile", "warn"]

    static func install(in state: LuaState) throws(LuaError) {
        let options = state.options
        let print = state.makeFunction { arguments in
            options.output(arguments.first?.stringValue ?? "")
            return []
        }
        let resolver = ModuleResolver(roots: options.moduleRoots, files: options.files)
        let findModule = state.makeFunction { arguments in
            guard let name = arguments.first?.stringValue else {
                throw SandboxError(code: "RequireError", message: "require expects a module name string")
            }
            let found = try resolver.resolve(name)
            return [.string(found.source), .string(found.chunkName)]
        }
        try installErrorMetatable(in: state)
        EmptyArray.install(on: state.L)
        luashim_push_sorted_keys(state.L)
        lua_setglobal(state.L, "__sortedKeys")
        luashim_push_script_where(state.L)
        lua_setglobal(state.L, "__scriptWhere")
        let seedHigh = Int64(bitPattern: options.seed >> 32)
        let seedLow = Int64(bitPattern: options.seed & 0xFFFF_FFFF)
        _ = try state.run(
            prelude, chunkName: "=sandbox",
            arguments: [.callable(print), .callable(findModule), .int(seedHigh), .int(seedLow), .bool(options.locatePrints)])
    }

    /// Error tables raised by host functions print as `where code: message`.
    private static func installErrorMetatable(in state: LuaState) throws(LuaError) {
        let toString = try state.load(
            """
            local e = ...
            local where = type(e.where) == "string" and e.where ~= "" and e.where .. " " or ""
            return where .. tostring(e.code) .. ": " .. tostring(e.message)
            """, chunkName: "=error")
        let L = state.L
        lua_createtable(L, 0, 2)
        lua_pushstring(L, "labengine.error")
        lua_setfield(L, -2, "__name")
        lua_rawgeti(L, luashim_registryindex(), lua_Integer(toString.ref))
        lua_setfield(L, -2, "__tostring")
        lua_setfield(L, luashim_registryindex(), "labengine.error")
    }

    /// Lua side of the sandbox. Host functions arrive as arguments and stay local, so
    /// scripts cannot reach them.
    static let prelude = """
        local hostPrint, hostFindModule, seedHigh, seedLow, locatePrints = ...
        local scriptWhere = __scriptWhere
        __scriptWhere = nil
        local sortedKeys = __sortedKeys
        __sortedKeys = nil
        local rawload, rawnext, rawtype, tostring, select, error = load, next, type, tostring, select, error
        local rawcollect, sort, concat = collectgarbage, table.sort, table.concat
        local rawget, setmetatable = rawget, setmetatable
        local globals = _G

        math.randomseed(seedHigh, seedLow)
        math.randomseed = nil
        string.dump = nil
        dofile, loadfile, warn = nil, nil, nil

        debug, package = nil, nil

        function load(chunk, name, mode, env)
          if mode ~= nil and mode ~= "t" then
            return nil, "only text chunks can be loaded in the sandbox"
          end
          return rawload(chunk, name, "t", env or globals)
        end

        function collectgarbage(option)
          if option == "count" then return rawcollect("count") end
          error("collectgarbage: only 'count' is available in the sandbox", 2)
        end

        function print(...)
          local n = select("#", ...)
          local parts = {}
          for i = 1, n do parts[i] = tostring((select(i, ...))) end
          local text = concat(parts, "\\t")
          if locatePrints then
            local where = scriptWhere()
            if where then text = where .. ": " .. text end
          end
          hostPrint(text)
        end

        -- pairs visits keys in a fixed order (numbers, then strings bytewise, then booleans),
        -- so scripts that iterate give the same result, and run the same number of
        -- instructions, under the same seed. Lua's own order depends on a per-process hash seed.
        function pairs(t)
          local meta = getmetatable(t)
          if rawtype(meta) == "table" and meta.__pairs then return meta.__pairs(t) end
          if rawtype(t) ~= "table" then
            error("bad argument #1 to 'pairs' (table expected, got " .. rawtype(t) .. ")", 2)
          end
          local keys = sortedKeys(t)
          local i = 0
          return function()
            i = i + 1
            local k = keys[i]
            if k ~= nil then return k, t[k] end
          end, t, nil
        end

        -- next walks keys in the same order, for the same reason: Lua's own next follows the
        -- table's hash layout, and string hashes are seeded per state from the clock and
        -- addresses. A walk's sorted keys are kept (weakly, per table) from its first call, so
        -- a whole walk costs one sort; next(t) starts a new one. As Lua's, it is raw, and a
        -- field cleared during the walk is skipped.
        local walks = setmetatable({}, { __mode = "k" })
        function next(t, k)
          if rawtype(t) ~= "table" then
            error("bad argument #1 to 'next' (table expected, got " .. (t == nil and "no value" or rawtype(t)) .. ")", 2)
          end
          local walk = walks[t]
          local i = k ~= nil and walk ~= nil and walk.at[k] or nil
          if i == nil then
            local keys = sortedKeys(t)
            local at = {}
            for n = 1, #keys do at[keys[n]] = n end
            walk = { keys = keys, at = at }
            walks[t] = walk
            if k == nil then
              i = 0
            else
              i = at[k]
              if i == nil then error("invalid key to 'next'", 2) end
            end
          end
          local keys = walk.keys
          while true do
            i = i + 1
            local key = keys[i]
            if key == nil then return nil end
            local value = rawget(t, key)
            if value ~= nil then return key, value end
          end
        end

        local loaded = {}
        function require(name)
          if rawtype(name) ~= "string" then
            error("bad argument #1 to 'require' (string expected, got " .. rawtype(name) .. ")", 2)
          end
          local cached = loaded[name]
          if cached ~= nil then return cached end
          local source, chunkName = hostFindModule(name)
          local chunk, message = rawload(source, "@" .. chunkName, "t", globals)
          if not chunk then error(message, 2) end
          local result = chunk(name, chunkName)
          if result == nil then result = true end
          loaded[name] = result
          return result
        end

        """
}

/// An error the sandbox itself raises (a module that cannot be required, …).
struct SandboxError: CodedError {
    let code: String
    let message: String
}
