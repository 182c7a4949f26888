import DocumentModel
import LuaBridge
import Testing

@Suite struct LimitTests {
    @Test func infiniteLoopHitsTheInstructionLimitAndTheStateStillWorks() throws {
        let lua = try LuaState(options: SandboxOptions(instructionLimit: 1_000_000))
        expectInstructionLimit(lua, "while true do end", chunkName: "loop.lua")
        #expect(try lua.run("return 1 + 1", chunkName: "after") == [2])
    }

    @Test func pcallCannotSwallowTheInstructionLimit() throws {
        let lua = try LuaState(options: SandboxOptions(instructionLimit: 1_000_000))
        expectInstructionLimit(lua, "for i = 1, 100 do pcall(function() while true do end end) end return 'escaped'", chunkName: "p")
    }

    @Test func unboundedAllocationHitsTheMemoryLimitAndTheStateStillWorks() throws {
        let lua = try LuaState(options: SandboxOptions(memoryLimit: 32 << 20))
        #expect {
            _ = try lua.run("local t={} while true do t[#t+1]=string.rep('x',1e6) end", chunkName: "mem.lua")
        } throws: { ($0 as? LuaError)?.kind == .memoryLimit }
        #expect(try lua.run("return #string.rep('y', 1000)", chunkName: "after") == [1000])
        #expect(lua.memoryUsed < 32 << 20)
    }

    @Test func hugeStringRepIsAMemoryError() throws {
        let lua = try LuaState(options: SandboxOptions(memoryLimit: 16 << 20))
        #expect(throws: LuaError.self) { _ = try lua.run("return string.rep('x', 1e9)", chunkName: "rep") }
    }

    @Test func infiniteRecursionIsAnError() throws {
        let lua = try LuaState()
        #expect {
            _ = try lua.run("local function f(n) return 1 + f(n + 1) end return f(1)", chunkName: "rec.lua")
        } throws: { error in
            guard let e = error as? LuaError else { return false }
            return e.kind == .runtime || e.kind == .memoryLimit
        }
        #expect(try lua.run("return 'alive'", chunkName: "after") == ["alive"])
    }

    @Test func recursionThroughHostFunctionsIsAnError() throws {
        let lua = try LuaState()
        var f: LuaFunction?
        lua.register("host.again") { _ in try f?.call([]) ?? [] }
        f = try lua.load("return host.again()", chunkName: "again.lua")
        #expect(throws: LuaError.self) { _ = try f?.call([]) }
    }

    @Test func instructionsAreCounted() throws {
        let lua = try LuaState()
        _ = try lua.run("local s = 0 for i = 1, 100000 do s = s + i end return s", chunkName: "count")
        #expect(lua.lastInstructionCount >= 100_000)
    }
}

@Suite struct MemoryPoolTests {
    @Test func statesSharingAPoolCannotTogetherExceedIt() throws {
        let pool = MemoryPool(limit: 48 << 20)
        // Each state alone could hold two 20 MiB strings; the pool cannot hold both states' strings.
        let a = try LuaState(options: SandboxOptions(memoryLimit: 96 << 20, pool: pool))
        let b = try LuaState(options: SandboxOptions(memoryLimit: 96 << 20, pool: pool))
        _ = try a.run("big = string.rep('a', 20 * 1024 * 1024)", chunkName: "a")
        #expect {
            _ = try b.run("big = string.rep('b', 20 * 1024 * 1024) other = string.rep('c', 20 * 1024 * 1024)", chunkName: "b")
        } throws: { ($0 as? LuaError)?.kind == .memoryLimit }
        #expect(pool.used <= 48 << 20)
        a.close()
        #expect(try b.run("big = string.rep('b', 20 * 1024 * 1024) return #big", chunkName: "b") == [.int(20 << 20)])
    }
}
