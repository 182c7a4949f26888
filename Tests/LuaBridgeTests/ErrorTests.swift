import DocumentModel
import LuaBridge
import Testing

struct ThrottleError: CodedError {
    var code: String { "ThrottlingException" }
    var message: String { "Rate exceeded" }
}

@Suite struct ErrorTests {
    @Test func syntaxErrorsNameChunkAndLine() throws {
        let lua = try LuaState()
        #expect {
            _ = try lua.load("local a = 1\nlocal b = = 2", chunkName: "actions.lua")
        } throws: { error in
            guard let e = error as? LuaError else { return false }
            return e.kind == .syntax && e.chunk == "actions.lua" && e.line == 2
        }
    }

    @Test func runtimeErrorsNameChunkLineAndTraceback() throws {
        let lua = try LuaState()
        do {
            _ = try lua.run("local t = nil\n\nreturn t.x", chunkName: "labs/x/lab.lua")
            Issue.record("expected an error")
        } catch {
            let e = error
            #expect(e.kind == .runtime)
            #expect(e.chunk == "labs/x/lab.lua")
            #expect(e.line == 3)
            #expect(e.message.contains("attempt to index"))
            #expect(e.traceback?.contains("stack traceback") == true)
        }
    }

    @Test func luaCanCatchASwiftErrorAndReadItsCode() throws {
        let lua = try LuaState()
        lua.register("aws.kinesis.put_record") { _ in throw ThrottleError() }
        let result = try lua.run(
            """
            local ok, err = pcall(aws.kinesis.put_record, {})
            return ok, err.code, err.message, tostring(err)
            """, chunkName: "catch.lua")
        #expect(result[0] == false)
        #expect(result[1] == "ThrottlingException")
        #expect(result[2] == "Rate exceeded")
        #expect(result[3].stringValue?.hasSuffix("ThrottlingException: Rate exceeded") == true)
    }

    @Test func uncaughtSwiftErrorsSurfaceWithTheirType() throws {
        let lua = try LuaState()
        lua.register("fail") { _ in throw ThrottleError() }
        do {
            _ = try lua.run("local x = 1\nfail()", chunkName: "script.lua")
            Issue.record("expected an error")
        } catch {
            let e = error
            #expect(e.hostError is ThrottleError)
            #expect(e.code == "ThrottlingException")
            #expect(e.chunk == "script.lua")
            #expect(e.line == 2)
        }
    }

    @Test func errorTablesRaisedByScriptsKeepTheirFields() throws {
        let lua = try LuaState()
        do {
            _ = try lua.run("error({code = 'Mine', message = 'custom'})", chunkName: "e.lua")
        } catch {
            let e = error
            #expect(e.code == "Mine")
            #expect(e.message == "Mine: custom")
            #expect(e.line == 1)
        }
    }

    @Test func closingTwiceIsHarmlessAndLaterCallsFail() throws {
        let lua = try LuaState()
        let f = try lua.load("return 1", chunkName: "f")
        lua.close()
        lua.close()
        #expect(throws: LuaError.self) { _ = try f.call([]) }
    }
}
