import CloudSim
import DocumentModel
import Foundation
@testable import LabEngine
import Testing

/// Work that one Lua VM instruction hides — a backtracking pattern, filling a large block —
/// counts against the invocation like any other work: it takes virtual time (AWS bills and
/// times it, https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html) and it
/// ends at the instruction budget, so no single invocation can hold the engine.
extension LambdaTests {
    /// The REPORT line's `Duration` of the last invocation, in milliseconds.
    func reportedDuration(_ world: World) -> Double? {
        let report = world.account.logs.groups["/aws/lambda/F"]?.last { $0.message.hasPrefix("REPORT") }?.message ?? ""
        guard let range = report.range(of: "Duration: ") else { return nil }
        return Double(report[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }

    /// Invokes `code` (10 s timeout, 256 MB) and returns its result and its REPORT's duration.
    func invokeTimed(_ code: String) throws -> (payload: Document, error: String?, duration: Double) {
        let world = try world(code, timeout: 10, memory: 256)
        let (payload, error) = try invoke(world)
        return (payload, error, reportedDuration(world) ?? 0)
    }

    /// Invokes `code` with a 3-second timeout and expects the invocation to end at it.
    func expectTimeout(_ code: String, memory: Int = 128, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (payload, kind) = try invoke(try world(code, timeout: 3, memory: memory))
        #expect(kind == "Unhandled", sourceLocation: sourceLocation)
        #expect(payload["errorMessage"] == "Task timed out after 3.00 seconds", "\(payload)", sourceLocation: sourceLocation)
    }

    @Test func aBacktrackingPatternTimesOutInsteadOfRunningForHours() throws {
        let world = try world("return function() return string.find(string.rep('a', 20000), '.-.-.-b') end", timeout: 3)
        let (payload, error) = try invoke(world)
        #expect(error == "Unhandled")
        #expect(payload["errorMessage"] == "Task timed out after 3.00 seconds")
        #expect(world.account.logs.incidents.first?.kind == "instruction limit")
    }

    @Test func copyingMemoryCostsVirtualTime() throws {
        // 100 MB in one block: at one instruction (20 ns) per 32 bytes, about 65 ms.
        let world = try world("return function() return #string.rep('x', 100 * 1024 * 1024) end", timeout: 10, memory: 512)
        let (payload, error) = try invoke(world)
        #expect(error == nil && payload == .int(100 * 1024 * 1024), "\(payload)")
        let duration = try #require(reportedDuration(world))
        #expect(duration >= 60 && duration < 200, "\(duration) ms")
    }

    @Test func aDoublingStringRunsOutOfMemoryAfterItsCopyingTime() throws {
        let world = try world("return function() local s = 'x' while true do s = s .. s end end", timeout: 10, memory: 128)
        let (payload, error) = try invoke(world)
        #expect(error == "Unhandled")
        #expect(payload["errorType"] == "Runtime.OutOfMemory")
        // Blocks of 64 KB … 64 MB were filled before the 128 MB one was refused.
        let duration = try #require(reportedDuration(world))
        #expect(duration >= 60, "\(duration) ms")
    }

    @Test func tableConcatCountsTheBlockItFills() throws {
        let world = try world(
            "return function() local t = {} for i = 1, 100 do t[i] = string.rep('y', 100000) end return #table.concat(t) end", timeout: 10, memory: 256)
        let (payload, error) = try invoke(world)
        #expect(error == nil && payload == .int(10_000_000), "\(payload)")
        // 100 blocks of 100 KB, then one of 10 MB: about 13 ms of filling.
        let duration = try #require(reportedDuration(world))
        #expect(duration >= 10, "\(duration) ms")
    }

    @Test func sortingCostsVirtualTimeAndEndsAtTheBudget() throws {
        // 200,000 numbers: about 7 M comparisons at two instructions (40 ns) each, about 280 ms.
        let sorts = try world(
            "return function() local t = {} for i = 1, 200000 do t[i] = (i * 7919) % 200003 end table.sort(t) return t[1] end",
            timeout: 10, memory: 256)
        let (payload, error) = try invoke(sorts)
        let smallest = (1...200_000).map { ($0 * 7919) % 200_003 }.min() ?? 0
        #expect(error == nil && payload == .int(Int64(smallest)), "\(payload)")
        let duration = try #require(reportedDuration(sorts))
        #expect(duration >= 200, "\(duration) ms")
        // Two million: past the 20 M instructions a handler may run between SDK calls.
        try expectTimeout("return function() local t = {} for i = 1, 2000000 do t[i] = -i end table.sort(t) end", memory: 512)
    }

    @Test func shiftingAndMovingElementsCostsVirtualTime() throws {
        // 100 inserts at the front of 50,000 and 100 removals: about 9.2 M elements past the
        // free 4,096 of each call, at two instructions (40 ns) each: about 370 ms.
        let shifts = try invokeTimed(
            "return function() local t = {} for i = 1, 50000 do t[i] = i end for i = 1, 100 do table.insert(t, 1, i) end for i = 1, 100 do table.remove(t, 1) end return #t end")
        #expect(shifts.error == nil && shifts.payload == 50_000, "\(shifts.payload)")
        #expect(shifts.duration >= 300)
        // Moving a trillion nils needs no memory: it ends at the budget, at once.
        try expectTimeout("return function() table.move({}, 1, 1e12, 1, {}) end")
    }

    @Test func searchingALongStringCostsVirtualTime() throws {
        // 50 plain searches through 10 MB: one instruction per 32 bytes, about 330 ms.
        let searches = try invokeTimed(
            "return function() local s = string.rep('x', 10 * 1024 * 1024) local n = 0 for i = 1, 50 do if string.find(s, 'y', 1, true) then n = n + 1 end end return n end")
        #expect(searches.error == nil && searches.payload == 0, "\(searches.payload)")
        #expect(searches.duration >= 300)
    }

    @Test func hugeFormatWidthsAndRepeatsAreRefusedAtOnce() throws {
        let format = try world("return function() return string.format('%99999d', 1) end")
        #expect(try invoke(format).error == "Unhandled")
        let repeats = try world("return function() return string.rep('x', 2^40) end")
        let (payload, error) = try invoke(repeats)
        #expect(error == "Unhandled", "\(payload)")
        #expect(try #require(reportedDuration(repeats)) < 50)
    }
}
