import CLua
import DocumentModel
import LuaBridge
import Testing

/// The sandbox's string.find/match/gmatch/gsub are labengine's own matcher (so a pattern
/// cannot run unbounded inside one VM instruction). They must agree with Lua 5.4's,
/// result for result and error for error: this runs one script in Debian's plain Lua and
/// in the sandbox and compares every line.
@Suite struct PatternTests {
    static let script = #"""
        local cases = {
          { "hello world", "o" }, { "hello world", "o", 6 }, { "hello world", "o", -3 }, { "hello world", "l+" },
          { "hello", "" }, { "", "" }, { "", "a*" }, { "abc", "^(a)(b)" }, { "abc", "^b" }, { "abc", "c$" }, { "abc", "b$" },
          { "a$b", "$b" }, { "key = value", "(%w+)%s*=%s*(%w+)" }, { "  trim  ", "^%s*(.-)%s*$" },
          { "-12.50", "^(-?)(%d*)%.?(%d*)$" }, { "PV:FXSpot:EMEA", "^([^:]+):([^:]+):" }, { "x = [[a]] y", "%[%[(.-)%]%]" },
          { "f(a(b)c)d", "%b()" }, { "THE (quick) fox", "%f[%a]%a+" }, { "THE (quick) fox", "%f[%l]%a+" }, { "hello", "()ll()" },
          { "abab", "(ab)%1" }, { "aaa", "a-b" }, { "aaab", "a-b" }, { "aaab", "a*b" }, { "b", "a?b" }, { "ab", "a?b" },
          { "x]y", "[]]" }, { "x]y", "[^]]+" }, { "a-z", "[a%-z]+" }, { "09af", "%x+" }, { "\0a\0", "%z" }, { "a.b", "%." },
          { "tab\there", "%s" }, { "ÄÖ", "[\128-\255]+" }, { "one two  three", "%S+" }, { "CamelCase", "%u%l+" },
          { "abc", "[%a-]" }, { "a,b,,c", "([^,]*)" }, { "x", "[" }, { "x", "%" }, { "x", "(" }, { "x", ")" }, { "x", "%1" },
          { "x", "(()" }, { "x", "%b" }, { "x", "%f" }, { "x", "[a" }, { "x", "[%" }, { "aaa", "a", 10 }, { "aaa", "a", 0 },
          { "aaa", "a", -10 }, { "a+b", "+", 1, true }, { "a.b", ".", 1, true }, { "abc", "", 4 }, { "abc", "", 5 },
          { string.rep("ab", 50), "(ab)+" }, { "x=1, y=2", "(%w+)=(%w+)" }, { "hello", "(h)(e)(l)(l)(o)" },
        }
        local out = {}
        local function show(...)
          local n = select("#", ...)
          local parts = {}
          for i = 1, n do parts[#parts + 1] = tostring((select(i, ...))) end
          return table.concat(parts, ",")
        end
        local function try(label, f, ...)
          local r = table.pack(pcall(f, ...))
          if r[1] then
            out[#out + 1] = label .. " -> " .. show(table.unpack(r, 2, r.n))
          else
            out[#out + 1] = label .. " !! " .. tostring(r[2]):gsub("^[^:]*:%d+: ", "")
          end
        end
        for i, c in ipairs(cases) do
          local s, p = c[1], c[2]
          try(i .. " find", string.find, s, p, c[3], c[4])
          try(i .. " match", string.match, s, p, c[3])
          try(i .. " gmatch", function()
            local all = {}
            for a, b in string.gmatch(s, p, c[3]) do all[#all + 1] = show(a, b) end
            return table.concat(all, "|")
          end)
          try(i .. " gsub", string.gsub, s, p, "<%0>")
          try(i .. " gsub1", string.gsub, s, p, "[%1]", 2)
          try(i .. " gsubf", string.gsub, s, p, function(a, b) return b and (b .. a) or nil end)
          try(i .. " gsubt", string.gsub, s, p, { a = "A", hello = 1, ab = false })
        end
        try("bad repl", string.gsub, "abc", "b", "%2")
        try("bad repl2", string.gsub, "abc", "b", "%x")
        try("bad repl3", string.gsub, "abc", "b", "%")
        try("bad value", string.gsub, "abc", "b", function() return {} end)
        try("bad kind", string.gsub, "abc", "b", true)
        try("number repl", string.gsub, "abc", "b", 7)
        try("method", function() return ("x=1"):match("(%w)=(%d)") end)
        return table.concat(out, "\n")
        """#

    /// The same script in Debian's plain Lua 5.4, with its own string library.
    private func nativeResults() throws -> String {
        guard let L = luaL_newstate() else { throw LuaError(kind: .runtime, message: "no state") }
        defer { lua_close(L) }
        luaL_openlibs(L)
        var length = 0
        guard luaL_loadstring(L, Self.script) == LUA_OK, lua_pcallk(L, 0, 1, 0, 0, nil) == LUA_OK, let text = lua_tolstring(L, -1, &length) else {
            throw LuaError(kind: .runtime, message: "the native run failed")
        }
        // The results hold NUL bytes: read the length Lua gives, not up to the first NUL.
        return String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
    }

    @Test func theSandboxsMatcherAgreesWithLuas() throws {
        let native = try nativeResults().split(separator: "\n", omittingEmptySubsequences: false)
        let sandbox = try #require(try LuaState().run(Self.script, chunkName: "patterns.lua").first?.stringValue)
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(native.count == sandbox.count && native.count > 400)
        for (a, b) in zip(native, sandbox) where a != b {
            Issue.record("Lua: \(a)\nsandbox: \(b)")
        }
    }

    /// Backtracking that would take hours stops at the instruction budget, as a loop does.
    @Test func catastrophicBacktrackingStopsAtTheBudget() throws {
        let lua = try LuaState(options: SandboxOptions(instructionLimit: 5_000_000))
        for call in ["local _ = string.find(s, '.-.-.-.-b')", "local _ = string.match(s, '(a*)*b')", "s:gsub('.-.-.-b', '')", "for _ in s:gmatch('.-.-.-b') do end"] {
            expectInstructionLimit(lua, "local s = string.rep('a', 30000) \(call)", chunkName: "slow.lua")
            #expect(lua.lastInstructionCount <= 5_000_000 + 2 * 1024, "\(call): \(lua.lastInstructionCount) instructions")
        }
        // Ordinary matches cost what they did: their first steps are free.
        _ = try lua.run("for i = 1, 1000 do string.match('-12.50', '^(-?)(%d*)%.?(%d*)$') end", chunkName: "fast.lua")
        #expect(lua.lastInstructionCount < 20_000)
    }

    /// Filling large blocks counts as work: a doubling string stops at the budget, not at the host's patience.
    @Test func largeAllocationsCountAsInstructions() throws {
        let lua = try LuaState(options: SandboxOptions(memoryLimit: 1 << 30, instructionLimit: 2_000_000))
        expectInstructionLimit(lua, "local s = 'x' while true do s = s .. s end", chunkName: "grow.lua")
        // 2 million instructions' worth is 64 MB of large blocks: the memory cap was not what stopped it.
        #expect(lua.memoryUsed < 1 << 30)
        _ = try lua.run("local s = string.rep('x', 1 << 20) return #s", chunkName: "one.lua")
        #expect(lua.lastInstructionCount >= (1 << 20) / 32)
    }
}
