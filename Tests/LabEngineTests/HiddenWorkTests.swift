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
        let endless = try world("return function() local t = {} for i = 1, 2000000 do t[i] = -i end table.sort(t) end", timeout: 3, memory: 512)
        let (timedOut, kind) = try invoke(endless)
        #expect(kind == "Unhandled")
        #expect(timedOut["errorMessage"] == "Task timed out after 3.00 seconds", "\(timedOut)")
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
