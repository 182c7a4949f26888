import CloudSim
import Foundation
import Testing
@testable import LabEngine

/// A run's world is let go once its result is: a self-test runs dozens of worlds, and a
/// lab2 world holds ~180 MB.
@Suite struct WorldReleaseTests {
    @Test(arguments: [false, true])
    func aRunsWorldIsFreedWithItsResult(solved: Bool) throws {
        let lab = try fixtureLab("tiny")
        weak var world: World?
        weak var account: CloudAccount?
        do {
            let result = try LabRunner(lab: lab).run(actions: solved ? .solution : .none, seed: 1)
            world = result.world
            account = result.world.account
            #expect(world != nil)
        }
        #expect(world == nil, "the world outlived its result")
        #expect(account == nil, "the account outlived its world")
    }

    @Test func aWorkshopWorldIsFreedToo() throws {
        let lab = try LabLoader(catalog: LabCatalog(directory: labsFolder.path)).load("lab1")
        weak var world: World?
        weak var account: CloudAccount?
        do {
            let result = try LabRunner(lab: lab).run(actions: .solution, seed: 1, minutes: 1)
            world = result.world
            account = result.world.account
        }
        #expect(world == nil, "the world outlived its result")
        #expect(account == nil, "the account outlived its world")
    }
}
