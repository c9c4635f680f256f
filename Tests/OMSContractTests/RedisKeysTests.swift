import OMSContract
import Testing

@Suite("Redis key names")
struct RedisKeysTests {
    /// The part of a key Redis Cluster hashes: the text between the first `{`
    /// and the first `}` after it, when that is not empty; else the whole key.
    static func hashTag(_ key: String) -> Substring {
        guard let open = key.firstIndex(of: "{"),
              let close = key[key.index(after: open)...].firstIndex(of: "}"),
              close > key.index(after: open) else { return Substring(key) }
        return key[key.index(after: open)..<close]
    }

    @Test("stock keys are DESIGN.md's names")
    func stockNames() {
        #expect(RedisKeys.stock("MUG-BLUE") == "oms:stock:{MUG-BLUE}")
        #expect(RedisKeys.holds("MUG-BLUE") == "oms:stock:{MUG-BLUE}:holds")
        #expect(RedisKeys.restocks("MUG-BLUE") == "oms:stock:{MUG-BLUE}:restocks")
        #expect(RedisKeys.backorders("MUG-BLUE") == "oms:stock:{MUG-BLUE}:backorders")
    }

    @Test("order keys are DESIGN.md's names")
    func orderNames() {
        #expect(RedisKeys.order("web-100234") == "oms:order:{web-100234}")
        #expect(RedisKeys.history("web-100234") == "oms:order:{web-100234}:history")
        #expect(RedisKeys.effects("web-100234") == "oms:order:{web-100234}:effects")
    }

    @Test("every key of one SKU hashes on the SKU alone, so one script may touch them all",
          arguments: ["MUG-BLUE", "A", "SKU.1_2-3", "0"])
    func stockKeysShareASlot(sku: String) {
        let keys = [RedisKeys.stock(sku), RedisKeys.holds(sku), RedisKeys.heldAt(sku), RedisKeys.restocks(sku),
                    RedisKeys.backorders(sku)]
        #expect(keys.map(Self.hashTag) == Array(repeating: Substring(sku), count: keys.count))
    }

    @Test("every key of one order hashes on the order id alone",
          arguments: ["web-100234", "amazon:113-1234567-1234567", "x.y_z"])
    func orderKeysShareASlot(id: String) {
        let keys = [RedisKeys.order(id), RedisKeys.history(id), RedisKeys.effects(id)]
        #expect(keys.map(Self.hashTag) == Array(repeating: Substring(id), count: keys.count))
    }

    @Test("every picklist key of one location, the voided set included, shares the location's slot")
    func picklistKeysShareASlot() {
        let keys = [RedisKeys.picklists("MAIN"), RedisKeys.picklistOrders("MAIN"), RedisKeys.closedPicklists("MAIN"),
                    RedisKeys.writtenPicklists("MAIN"), RedisKeys.voidedPicklistOrders("MAIN"),
                    RedisKeys.picklist("MAIN", "PL-MAIN-000001")]
        #expect(keys.map(Self.hashTag) == Array(repeating: Substring("picklists:MAIN"), count: keys.count))
    }

    @Test("the report's counters and every order's marker of counted facts share the {report} slot",
          arguments: ["web-100234", "amazon:113-1234567-1234567"])
    func reportKeysShareASlot(id: String) {
        #expect(RedisKeys.report == "oms:report:{report}")
        #expect(RedisKeys.tallied(id) == "oms:report:{report}:tallied:\(id)")
        #expect(Self.hashTag(RedisKeys.tallied(id)) == Self.hashTag(RedisKeys.report))
    }
}
