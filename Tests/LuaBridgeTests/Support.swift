import LuaBridge
import Testing

/// Runs `source` in `lua` and expects it to end at the instruction budget, not otherwise.
func expectInstructionLimit(_ lua: LuaState, _ source: String, chunkName: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let error = #expect(throws: LuaError.self, sourceLocation: sourceLocation) { _ = try lua.run(source, chunkName: chunkName) }
    #expect(error?.kind == .instructionLimit, "\(String(describing: error))", sourceLocation: sourceLocation)
}
