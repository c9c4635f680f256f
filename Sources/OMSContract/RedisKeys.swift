import OMSDomain

/// The Redis key names of DESIGN.md, the only place they are spelled out.
///
/// Each name carries its SKU or order id as a hash tag (`{…}`), so every key
/// of one SKU, or of one order, lives in one hash slot and a script may touch
/// them together on a Redis Cluster. That holds for any non-empty SKU or id
/// (the tag is the text up to the first `}`, the same for every key of one
/// family); an empty one would disable the tag, and validation refuses it.
public enum RedisKeys {
    /// Hash: `available`, `reserved` (integers ≥ 0), `location` (bin), `reorder_point`;
    /// for a SKU stocked per location also `available@LOC` and `reserved@LOC`,
    /// of which `available` and `reserved` are the sums.
    public static func stock(_ sku: String) -> String { "oms:stock:{\(sku)}" }
    /// Hash: the catalog entry of a SKU (`title`, `weight_g`, `hs_code`, `origin`, `image_url`).
    public static func product(_ sku: String) -> String { "oms:product:{\(sku)}" }

    /// Hash: order id → quantity held for that order.
    public static func holds(_ sku: String) -> String { "oms:stock:{\(sku)}:holds" }

    /// Hash: order id → the location its hold is at, for a SKU stocked per
    /// location (its `available@LOC` and `reserved@LOC`), so that a release or
    /// commit moves that location's counters.
    public static func heldAt(_ sku: String) -> String { "oms:stock:{\(sku)}:held-at" }

    /// Hash: restock id → quantity, so that a redelivered restock counts once.
    public static func restocks(_ sku: String) -> String { "oms:stock:{\(sku)}:restocks" }

    /// Sorted set: backordered order ids scored by when the order was received
    /// (milliseconds since 1970), oldest first.
    public static func backorders(_ sku: String) -> String { "oms:stock:{\(sku)}:backorders" }

    /// Hash: `status`, `version`, `updated_at`, `created_at`, `channel`,
    /// `document`, `content_hash`, plus the fields transitions add.
    public static func order(_ id: String) -> String { "oms:order:{\(id)}" }

    /// List of JSON history entries, oldest first (`HistoryEntry`).
    public static func history(_ id: String) -> String { "oms:order:{\(id)}:history" }

    /// Hash: effect name (`charge`, `label`, `email:order.confirmed`…) → value.
    public static func effects(_ id: String) -> String { "oms:order:{\(id)}:effects" }

    /// String with a time to live: a worker is doing this effect right now.
    public static func lease(_ id: String, _ effect: String) -> String { "oms:order:{\(id)}:lease:\(effect)" }

    /// The counters of `oms report` share one hash tag (`{report}`), so one script
    /// marks a fact about an order and adds its counts in one step. They outlive
    /// the orders they count (`Retention`).
    /// Hash: counter (`ReportCounter.field`) → integer.
    public static let report = "oms:report:{report}"

    /// Sorted set: a customer email's recent order ids, scored by time (hold
    /// rules). Named by a hash of the lowercased email, so no address is in a key.
    public static func customerOrders(email: String) -> String {
        "oms:customer:{\(OrderCoding.contentHash(Array(email.lowercased().utf8)))}:orders"
    }
    /// Hash: fact (`status:shipped`, `email:order.shipped`…) → 1, the facts of
    /// one order already counted; expires with the retention.
    public static func tallied(_ id: String) -> String { "\(report):tallied:\(id)" }

    /// A warehouse location's picklists share one hash tag (`{picklists:LOCATION}`),
    /// so one script assigns an order and opens or closes a picklist in one step.
    /// Hash: `seq`, `open` (the open picklist id), `opened_at` (ms), `open_count`.
    public static func picklists(_ location: String) -> String { "oms:picklists:{picklists:\(location)}" }
    /// Hash: order id → the picklist it is on.
    public static func picklistOrders(_ location: String) -> String { "\(picklists(location)):orders" }
    /// List: closed picklists, in closing order, to be written out.
    public static func closedPicklists(_ location: String) -> String { "\(picklists(location)):closed" }
    /// Set: orders taken off their picklist (cancelled after pick).
    public static func voidedPicklistOrders(_ location: String) -> String { "\(picklists(location)):voided" }
    /// Set: closed picklists whose files are written.
    public static func writtenPicklists(_ location: String) -> String { "\(picklists(location)):written" }
    /// List of JSON `{"order_id", "lines": [{"sku", "quantity"}]}`, one per order on the picklist.
    public static func picklist(_ location: String, _ id: String) -> String { "\(picklistPrefix(location))\(id)" }
    public static func picklistPrefix(_ location: String) -> String { "\(picklists(location)):list:" }
}
