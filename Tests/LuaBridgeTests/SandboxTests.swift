import DocumentModel
import Foundation
import LuaBridge
import Testing

@Suite struct SandboxTests {
    @Test(arguments: ["io", "os", "debug", "package", "dofile", "loadfile", "string.dump", "math.randomseed", "warn"])
    func removedGlobalsAreAbsent(name: String) throws {
        let lua = try LuaState()
        let path = name.split(separator: ".")
        let expression = path.count == 1 ? name : "\(path[0]) and \(name)"
        #expect(try lua.run("return \(expression) == nil", chunkName: "probe") == [true])
    }

    @Test func printsNameTheirFileAndLineWhenAsked() throws {
        var lines: [String] = []
        var options = SandboxOptions(output: { lines.append($0) })
        options.locatePrints = true
        let lua = try LuaState(options: options)
        _ = try lua.run("local x = 1\nprint('value', x)\nlocal function f() print('inner') end\nf()", chunkName: "/ws/actions.lua")
        #expect(lines == ["/ws/actions.lua:2: value\t1", "/ws/actions.lua:3: inner"])
        var plain: [String] = []
        let logs = try LuaState(options: SandboxOptions(output: { plain.append($0) }))
        _ = try logs.run("print('log line')", chunkName: "fn.lua")
        #expect(plain == ["log line"], "function logs keep their lines as printed")
    }

    /// An empty list stays a list through a round trip, so json.encode writes [] for it.
    @Test func anEmptyArrayStaysAnArray() throws {
        let lua = try LuaState()
        let values = try lua.run("return ...", chunkName: "x", arguments: [["Statement": .array([]), "Tags": .map([:])]])
        #expect(values.first?["Statement"] == .array([]))
        #expect(values.first?["Tags"] == .map([:]))
        let emptyIsEmpty = try lua.run("local t = ...; return #t.Statement == 0 and next(t.Statement) == nil", chunkName: "y", arguments: [["Statement": .array([])]])
        #expect(emptyIsEmpty == [true])
    }

    @Test func osExecuteIsUnreachable() throws {
        let lua = try LuaState()
        #expect(throws: LuaError.self) { _ = try lua.run("return os.execute('true')", chunkName: "x") }
    }

    @Test func binaryChunksCannotBeLoaded() throws {
        let lua = try LuaState()
        let result = try lua.run("return load('\\27Lua\\84\\0', 'bin', 'b')", chunkName: "bin")
        #expect(result.first == .null)
        let text = try lua.run("return select(2, load('\\27Lua\\84\\0'))", chunkName: "bin2")
        #expect(text.first?.stringValue?.contains("binary") == true)
    }

    @Test func loadedChunksSeeTheSandbox() throws {
        let lua = try LuaState()
        #expect(try lua.run("return load('return io')()", chunkName: "x") == [.null])
        #expect(try lua.run("return load('return 1 + 1')()", chunkName: "x") == [2])
    }

    @Test func collectgarbageOnlyCounts() throws {
        let lua = try LuaState()
        #expect(try lua.run("return type(collectgarbage('count'))", chunkName: "x") == ["number"])
        #expect(throws: LuaError.self) { _ = try lua.run("collectgarbage('stop')", chunkName: "x") }
    }

    @Test func requireOnlyResolvesInsideAllowedFolders() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UInt32.random(in: 0...UInt32.max))")
        let inside = root.appendingPathComponent("lab")
        try FileManager.default.createDirectory(at: inside.appendingPathComponent("util"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "return { answer = 42 }".write(to: inside.appendingPathComponent("util/helper.lua"), atomically: true, encoding: .utf8)
        try "return 'secret'".write(to: root.appendingPathComponent("outside.lua"), atomically: true, encoding: .utf8)

        let lua = try LuaState(options: SandboxOptions(moduleRoots: [inside.path]))
        #expect(try lua.run("return require('util.helper').answer", chunkName: "x") == [42])
        for name in ["outside", "..outside", "../outside", "/etc/passwd", "util..helper"] {
            #expect(throws: LuaError.self, "require('\(name)')") {
                _ = try lua.run("return require('\(name)')", chunkName: "x")
            }
        }
        let noRoots = try LuaState()
        #expect(throws: LuaError.self) { _ = try noRoots.run("return require('util.helper')", chunkName: "x") }
    }

    @Test func pairsVisitsKeysInAFixedOrder() throws {
        let lua = try LuaState()
        let result = try lua.run(
            "local t = {zeta=1, alpha=2, [3]=3, mid=4, [1]=5} local out = {} for k in pairs(t) do out[#out+1] = tostring(k) end return table.concat(out, ',')",
            chunkName: "pairs")
        #expect(result == ["1,3,alpha,mid,zeta"])
    }

    /// `next` walks keys in pairs' order, in every state: Lua's own order follows string hashes
    /// that each state seeds from the clock and addresses, so a walk differed from run to run.
    @Test func nextWalksKeysInPairsOrderInEveryState() throws {
        let walk = """
            local t = {}
            for i = 1, 40 do t["key" .. i] = i end
            t[2], t[1], t[true] = "two", "one", "yes"
            local out, k, v = {}, next(t)
            while k ~= nil do out[#out + 1] = tostring(k) .. "=" .. tostring(v); k, v = next(t, k) end
            local viaPairs = {}
            for key, value in pairs(t) do viaPairs[#viaPairs + 1] = tostring(key) .. "=" .. tostring(value) end
            local forNext = 0
            for _ in next, t do forNext = forNext + 1 end
            return table.concat(out, ","), table.concat(viaPairs, ","), forNext
            """
        let first = try LuaState().run(walk, chunkName: "walk")
        #expect(first[0] == first[1])
        #expect(first[2] == 43)
        for _ in 0..<4 { #expect(try LuaState().run(walk, chunkName: "walk") == first) }
    }

    /// As Lua's: raw, nil at the end and for an empty table, a cleared field skipped, an
    /// unknown key and a non-table refused with Lua's messages.
    @Test func nextKeepsLuasContract() throws {
        let lua = try LuaState()
        #expect(try lua.run("return next({})", chunkName: "empty") == [.null])
        #expect(try lua.run("return next({}, nil)", chunkName: "empty") == [.null])
        let cleared = try lua.run(
            "local t = {a = 1, b = 2, c = 3} local seen = {} for k in next, t do seen[#seen + 1] = k; t.b = nil end return table.concat(seen)",
            chunkName: "clear")
        #expect(cleared == ["ac"])
        let raw = try lua.run("local t = setmetatable({}, {__index = function() return 1 end}) t.x = 2 return next(t)", chunkName: "raw")
        #expect(raw == ["x", 2])
        #expect(throws: LuaError.self) { try lua.run("return next({a = 1}, 'nope')", chunkName: "bad") }
        do {
            _ = try lua.run("return next({a = 1}, 'nope')", chunkName: "bad")
        } catch {
            #expect("\(error)".contains("invalid key to 'next'"), "\(error)")
        }
        do {
            _ = try lua.run("return next(5)", chunkName: "bad")
        } catch {
            #expect("\(error)".contains("bad argument #1 to 'next' (table expected, got number)"), "\(error)")
        }
    }

    @Test func mathRandomIsSeeded() throws {
        let a = try LuaState(options: SandboxOptions(seed: 7))
        let b = try LuaState(options: SandboxOptions(seed: 7))
        let code = "return math.random(1, 1000000), math.random()"
        #expect(try a.run(code, chunkName: "r") == b.run(code, chunkName: "r"))
    }

    @Test func printGoesToTheHost() throws {
        let lines = LinesBox()
        let lua = try LuaState(options: SandboxOptions(output: { lines.items.append($0) }))
        _ = try lua.run("print('a', 1, nil, true)", chunkName: "p")
        #expect(lines.items == ["a\t1\tnil\ttrue"])
    }
}

final class LinesBox: @unchecked Sendable {
    var items: [String] = []
}
