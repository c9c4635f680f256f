import Testing
@testable import OMSStore

@Suite("Store scripts")
struct StoreScriptsTests {
    @Test("the scripts name no key: every key they touch comes in KEYS, as a cluster requires")
    func scriptsTakeTheirKeys() {
        let scripts = [StoreScripts.reserve, StoreScripts.release, StoreScripts.commit, StoreScripts.restock,
                       StoreScripts.create, StoreScripts.transition, StoreScripts.record, StoreScripts.effect,
                       StoreScripts.tally, StoreScripts.assignPicklist, StoreScripts.closePicklist,
                       StoreScripts.voidPicklist, StoreScripts.repairHolds, StoreScripts.recentOrders]
        for script in scripts {
            #expect(!script.source.isEmpty, "\(script.name).lua is embedded")
            #expect(!script.source.contains("oms:"), "\(script.name).lua builds no key name")
            #expect(script.source.contains("KEYS[1]"), "\(script.name).lua uses its keys")
        }
    }
}
