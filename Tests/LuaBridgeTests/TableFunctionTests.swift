import DocumentModel
import LuaBridge
import Testing

/// The sandbox's table.insert, remove and move are labengine's: they must do what the Lua
/// 5.4 manual says (https://www.lua.org/manual/5.4/manual.html#6.6) and charge the elements
/// they shift or copy against the instruction budget (Lua's do it unseen, in one instruction).
@Suite struct TableFunctionTests {
    @Test func insertAndRemoveShiftAsTheManualSays() throws {
        let lua = try LuaState()
        let results = try lua.run(
            """
            local t = { "a", "b", "c" }
            table.insert(t, "d")            -- append
            table.insert(t, 1, "z")         -- front
            table.insert(t, 3, "m")         -- middle
            table.insert(t, #t + 1, "end")  -- pos = #t + 1 is allowed
            local listed = table.concat(t, ",")
            local last = table.remove(t)            -- default: the last
            local first = table.remove(t, 1)
            local middle = table.remove(t, 2)
            local beyond = table.remove(t, #t + 1)  -- allowed, removes nothing
            local empty = {}
            local none, zero = table.remove(empty), table.remove(empty, 0)
            return listed, last, first, middle, beyond, table.concat(t, ","), #t, none, zero, #empty
            """, chunkName: "insert.lua")
        #expect(results == ["z,a,m,b,c,d,end", "end", "z", "m", .null, "a,b,c,d", 4, .null, .null, 0])
    }

    @Test func moveCopiesOverlappingRangesAndBetweenTables() throws {
        let lua = try LuaState()
        let results = try lua.run(
            """
            local t = { 1, 2, 3, 4, 5 }
            table.move(t, 1, 3, 2)          -- overlapping, forwards: copied from the end
            local up = table.concat(t, ",")
            local u = { 1, 2, 3, 4, 5 }
            table.move(u, 2, 5, 1)          -- overlapping, backwards
            local down = table.concat(u, ",")
            local other = table.move({ 7, 8, 9 }, 1, 3, 2, { "x" })
            local same = table.move(t, 3, 2, 1) == t  -- nothing to move; returns a1
            return up, down, table.concat(other, ","), same
            """, chunkName: "move.lua")
        #expect(results == ["1,1,2,3,5", "2,3,4,5,5", "x,7,8,9", true])
    }

    @Test func theyGoThroughMetamethods() throws {
        let lua = try LuaState()
        let results = try lua.run(
            """
            local store, writes = { 1, 2, 3 }, 0
            local proxy = setmetatable({}, {
              __index = store, __len = function() return #store end,
              __newindex = function(_, k, v) writes = writes + 1 store[k] = v end })
            table.insert(proxy, 1, 0)
            local removed = table.remove(proxy, 2)
            table.move(proxy, 1, 2, 5)
            return table.concat(store, ",", 1, 3), store[4], store[5], store[6], removed, writes
            """, chunkName: "proxy.lua")
        // insert: 3 shifts and the value; remove: 2 shifts and the nil; move: 2 copies.
        #expect(results == ["0,2,3", .null, 0, 2, 1, 9])
    }

    /// Lua 5.4.4's own functions give these same texts (checked by running this test with
    /// them in place of labengine's).
    @Test func theyRaiseWhatLuaRaises() throws {
        let lua = try LuaState()
        let results = try lua.run(
            """
            local function try(f) local ok, e = pcall(f) return e end
            return try(function() table.insert({}, 3, "x") end),
              try(function() table.insert({}, 1, 2, 3) end),
              try(function() table.remove({ 1 }, 5) end),
              try(function() table.insert(5, 1) end),
              try(function() table.move({}, math.mininteger, 1, 1) end),
              try(function() table.move({}, 1, 2, math.maxinteger) end)
            """, chunkName: "=errors")
        #expect(results == [
            "errors:2: bad argument #2 to 'insert' (position out of bounds)",
            "errors:3: wrong number of arguments to 'insert'",
            "errors:4: bad argument #1 to 'remove' (position out of bounds)",  // sic: Lua 5.4.4's
            "errors:5: bad argument #1 to 'insert' (table expected, got number)",
            "errors:6: bad argument #3 to 'move' (too many elements to move)",
            "errors:7: bad argument #4 to 'move' (destination wrap around)",
        ])
    }

    /// Moving a trillion nils needs no memory, so nothing else would stop it.
    @Test func hugeMovesAndShiftsEndAtTheBudget() throws {
        let lua = try LuaState(options: SandboxOptions(instructionLimit: 1_000_000))
        expectInstructionLimit(lua, "table.move({}, 1, 1e12, 1, {})", chunkName: "move.lua")
        // 200 inserts at the front of a list of 10,000: about 2 million elements shifted.
        expectInstructionLimit(
            lua, "local t = {} for i = 1, 10000 do t[i] = i end for i = 1, 200 do table.insert(t, 1, i) end", chunkName: "insert.lua")
        expectInstructionLimit(
            lua, "local t = {} for i = 1, 10000 do t[i] = i end for i = 1, 200 do table.remove(t, 1) end", chunkName: "remove.lua")
        // The first 4,096 elements of a call are free: small lists cost what they did.
        #expect(try lua.run("local t = {} for i = 1, 1000 do table.insert(t, 1, i) end return #t", chunkName: "small.lua") == [1000])
    }
}

/// string.byte and the utf8 functions that scan are labengine's too, for the same reason: what they return and
/// raise is Lua's (https://www.lua.org/manual/5.4/manual.html#6.4, #6.5), and their work
/// counts against the budget.
@Suite struct ScanFunctionTests {
    @Test func byteUnpackAndUtf8LenReturnWhatLuaReturns() throws {
        let lua = try LuaState()
        let results = try lua.run(
            """
            local s = "ABCDE"
            local a = table.pack(s:byte())
            local b = table.pack(s:byte(1, -1))
            local c = table.pack(s:byte(-2))
            local d = table.pack(s:byte(10))
            local e = table.pack(s:byte(0, 2))
            local f = table.pack(("x"):byte(-10, 10))
            local g = table.pack(table.unpack({ 1, 2, 3 }, 2))
            local h = table.pack(table.unpack({ 1, 2, 3 }, 3, 2))
            local u1, u2 = utf8.len("h\\u{E9}llo"), utf8.len("h\\u{E9}llo", 4)
            local bad, at = utf8.len("ab\\xFFc")
            local n1, n2 = utf8.len(""), utf8.len("abc", -1)
            local points = table.concat({ utf8.codepoint("h\\u{E9}\\u{20AC}!", 1, -1) }, ",")
            local o1, o2, o3, o4 = utf8.offset("h\\u{E9}llo", 3), utf8.offset("h\\u{E9}llo", -1), utf8.offset("h\\u{E9}llo", 0, 3), utf8.offset("abc", 5)
            return a.n .. ":" .. a[1], table.concat(b, ","), table.concat(c, ","), d.n, table.concat(e, ","), table.concat(f, ","),
              table.concat(g, ","), h.n, u1, u2, bad, at, n1, n2, points, o1, o2, o3, o4
            """, chunkName: "scan.lua")
        #expect(results == ["1:65", "65,66,67,68,69", "68", 0, "65,66", "120", "2,3", 0, 5, 3, .null, 3, 0, 1, "104,233,8364,33", 4, 6, 2, .null])
    }

    /// Lua 5.4.4's own give these same texts.
    @Test func theyRaiseWhatLuaRaises() throws {
        let lua = try LuaState()
        let results = try lua.run(
            """
            local function try(f) local ok, e = pcall(f) return e end
            return try(function() return utf8.len("abc", 5) end),
              try(function() return utf8.len("abc", 1, 4) end),
              try(function() return string.byte(string.rep("x", 2000000), 1, -1) end),
              try(function() return table.unpack({}, 1, 1e8) end),
              try(function() return string.byte({}) end),
              try(function() return utf8.codepoint("a\\xFFb", 1, -1) end),
              try(function() return utf8.offset("h\\u{E9}llo", 1, 3) end),
              try(function() return utf8.codepoint("abc", 0) end),
              try(function() return utf8.offset("abc", 1, 9) end)
            """, chunkName: "=errors")
        #expect(results == [
            "errors:2: bad argument #2 to 'len' (initial position out of bounds)",
            "errors:3: bad argument #3 to 'len' (final position out of bounds)",
            "errors:4: stack overflow (string slice too long)",
            "errors:5: too many results to unpack",
            "errors:6: bad argument #1 to 'byte' (string expected, got table)",
            "errors:7: invalid UTF-8 code",
            "errors:8: initial position is a continuation byte",
            "errors:9: bad argument #2 to 'codepoint' (out of bounds)",
            "errors:10: bad argument #3 to 'offset' (position out of bounds)",
        ])
    }

    @Test func largeScansEndAtTheBudget() throws {
        // Budgets a few million instructions above what the scripts' own loops and blocks
        // cost, so only the charges end them (Lua's own functions pass these runs).
        let lua = try LuaState(options: SandboxOptions(memoryLimit: 64 << 20, instructionLimit: 5_000_000))
        // 10 × 8 MB decoded at one instruction per 4 bytes: 20 million.
        expectInstructionLimit(lua, "local s = string.rep('x', 8000000) for i = 1, 10 do local n = utf8.len(s) end", chunkName: "len.lua")
        expectInstructionLimit(lua, "local s = string.rep('x', 8000000) for i = 1, 10 do local n = utf8.offset(s, -1) end", chunkName: "offset.lua")
        // 40 × 96,000 values past the free ones at two instructions: 7.7 million.
        expectInstructionLimit(lua, "local s = string.rep('x', 100000) for i = 1, 40 do local n = select('#', s:byte(1, -1)) end", chunkName: "byte.lua")
        expectInstructionLimit(
            lua, "local s = string.rep('x', 100000) for i = 1, 40 do local n = select('#', utf8.codepoint(s, 1, -1)) end", chunkName: "codepoint.lua")
        expectInstructionLimit(
            lua, "local t = {} for i = 1, 100000 do t[i] = i end for i = 1, 40 do local n = select('#', table.unpack(t)) end", chunkName: "unpack.lua")
        // 10 × 1.2 MB of source compiled at one instruction a byte: 12 million.
        expectInstructionLimit(lua, "local src = string.rep('a = 1\\n', 200000) for i = 1, 10 do assert(load(src)) end", chunkName: "load.lua")
        #expect(try lua.run("return select('#', string.rep('x', 4000):byte(1, -1)), utf8.len(string.rep('x', 60000))", chunkName: "small.lua") == [4000, 60000])
        // load still returns what Lua's does: a function, or nil and the syntax error.
        #expect(try lua.run("local f = load('return 6 * 7') local g, e = load('return +') return f(), g, e", chunkName: "=load")
            == [42, .null, "[string \"return +\"]:1: unexpected symbol near '+'"])
    }
}
