import RedisClient

/// The Lua scripts, from the `.lua` files under `Scripts/` that SwiftPM embeds
/// in the binary. Each touches the keys of one SKU, of one order or of the
/// report only (one hash slot), checks everything before its first write, and
/// never fails after it.
enum StoreScripts {
    static let reserve = script("reserve", PackageResources.reserve_lua)
    static let release = script("release", PackageResources.release_lua)
    static let commit = script("commit", PackageResources.commit_lua)
    static let restock = script("restock", PackageResources.restock_lua)
    static let create = script("create", PackageResources.create_lua)
    static let transition = script("transition", PackageResources.transition_lua)
    static let record = script("record", PackageResources.record_lua)
    static let effect = script("effect", PackageResources.effect_lua)
    static let tally = script("tally", PackageResources.tally_lua)
    static let assignPicklist = script("assign_picklist", PackageResources.assign_picklist_lua)
    static let closePicklist = script("close_picklist", PackageResources.close_picklist_lua)
    static let voidPicklist = script("void_picklist", PackageResources.void_picklist_lua)
    static let recentOrders = script("recent_orders", PackageResources.recent_orders_lua)
    static let repairHolds = script("repair_holds", PackageResources.repair_holds_lua)

    private static func script(_ name: String, _ source: [UInt8]) -> RedisScript {
        RedisScript(name: name, source: String(decoding: source, as: UTF8.self))
    }
}
