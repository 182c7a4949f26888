import DocumentModel
import LuaBridge
import Testing

/// The sandbox's table.sort is labengine's own heapsort: it must sort as Lua's does, count
/// its comparisons against the instruction budget (Lua's runs inside one VM instruction),
/// and make the same comparisons in every run (Lua's picks pivots from clock() and time()
/// when partitions are unbalanced). The sandbox's pairs sorts keys in C and is charged too.
@Suite struct SortTests {
    /// Sorts `values` in the sandbox (with `comparator`, a Lua expression, when given) and
    /// returns the result.
    func sorted(_ values: [Document], comparator: String? = nil) throws -> [Document] {
        let lua = try LuaState()
        let call = comparator.map { "table.sort(t, \($0))" } ?? "table.sort(t)"
        let result = try lua.run("local t = ... \(call) return t", chunkName: "sort.lua", arguments: [.array(values)])
        return result.first?.arrayValue ?? []
    }

    @Test func sortsNumbersStringsAndWithAComparator() throws {
        var random = SystemRandomNumberGenerator()
        let numbers = (0..<1000).map { _ in Int64.random(in: -500...500, using: &random) }
        #expect(try sorted(numbers.map { .int($0) }) == numbers.sorted().map { .int($0) })
        #expect(try sorted(numbers.map { .int($0) }, comparator: "function(a, b) return a > b end") == numbers.sorted(by: >).map { .int($0) })
        let words = ["pear", "apple", "fig", "Apple", "", "banana", "fig", "zz", "a"]
        #expect(try sorted(words.map { .string($0) }) == words.sorted().map { .string($0) })
        for shape in [Array(0..<300), Array((0..<300).reversed()), Array(repeating: 7, count: 300), [1], []] {
            #expect(try sorted(shape.map { .int(Int64($0)) }) == shape.sorted().map { .int(Int64($0)) })
        }
    }

    @Test func sortsThroughMetamethodsAndRaisesWhatLuaRaises() throws {
        let lua = try LuaState()
        let proxied = try lua.run(
            """
            local store = { 3, 1, 2 }
            local proxy = setmetatable({}, { __index = store, __newindex = store, __len = function() return #store end })
            table.sort(proxy)
            return store[1] * 100 + store[2] * 10 + store[3]
            """, chunkName: "proxy.lua")
        #expect(proxied == [123])
        let errors = try lua.run(
            """
            local out = {}
            for _, f in ipairs({
              function() table.sort({ 1, "x", 2 }) end,
              function() table.sort({ 2, 1 }, 5) end,
              function() table.sort(5) end,
              function() table.sort({ 2, 1 }, function() error("boom") end) end,
            }) do
              local ok, message = pcall(f)
              -- Which two values meet first depends on the algorithm, as it does in Lua's.
              message = tostring(message):gsub("^[^:]*:%d+: ", ""):gsub("compare %a+ with %a+", "compare two types")
              out[#out + 1] = tostring(ok) .. " " .. message
            end
            return table.concat(out, "|")
            """, chunkName: "errors.lua")
        #expect(
            errors == [
                "false attempt to compare two types|false bad argument #2 to 'sort' (function expected, got number)|false bad argument #1 to 'sort' (table expected, got number)|false boom"
            ])
    }

    /// Instructions `work` counts beyond the `build` script that comes before it.
    func instructions(of work: String, after build: String, in lua: LuaState) throws -> Int {
        _ = try lua.run(build, chunkName: "build")
        let building = lua.lastInstructionCount
        _ = try lua.run(build + " " + work, chunkName: "work")
        return lua.lastInstructionCount - building
    }

    @Test func aSortCountsItsComparisons() throws {
        let lua = try LuaState()
        let build = "local t = {} local x = 1 for i = 1, 200000 do x = (x * 1103515245 + 12345) % 2147483648 t[i] = x end"
        let work = "table.sort(t) for i = 2, #t do assert(t[i - 1] <= t[i]) end"
        // A heapsort of 200,000 makes about 2 n log2 n = 7 M comparisons, two instructions each;
        // the check loop adds about 1 M.
        let sorting = try instructions(of: work, after: build, in: lua)
        #expect(sorting > 10_000_000, "\(sorting) instructions")
        #expect(try instructions(of: work, after: build, in: lua) == sorting, "the same script counts the same")
    }

    @Test func aHugeSortEndsAtTheBudget() throws {
        let lua = try LuaState(options: SandboxOptions(instructionLimit: 20_000_000))
        expectInstructionLimit(lua, "local t = {} for i = 1, 1000000 do t[i] = -i end table.sort(t) return 'sorted'", chunkName: "huge.lua")
        #expect(try lua.run("return 1 + 1", chunkName: "after") == [2])
    }

    @Test func pairsIsChargedForSortingALargeTablesKeys() throws {
        let lua = try LuaState()
        let charged = try instructions(of: "for k in pairs(t) do break end", after: "local t = {} for i = 1, 200000 do t['k' .. i] = i end", in: lua)
        // 200,000 keys: 200,000 * 18 comparisons, two instructions each, past the free 4,096.
        #expect(charged > 7_000_000, "\(charged) instructions")
        _ = try lua.run("local t = { a = 1, b = 2, c = 3 } for k in pairs(t) do end", chunkName: "small")
        #expect(lua.lastInstructionCount < 1_000, "a few keys cost what they always did")
    }
}
