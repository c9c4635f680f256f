import AMQPClient
import ArgumentParser
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import WorkerRuntime

/// `oms stock …`: inventory in Redis.
struct Stock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inventory: set, add, get, list, low, reconcile.",
        subcommands: [StockSet.self, StockAdd.self, StockGet.self, StockList.self, StockLow.self,
                      StockReconcile.self])
}

/// One SKU's row as `list`, `low` and `get` show it.
struct StockRow {
    var sku: String
    var levels: StockLevels
    /// Whether the holds were read, so that `held` means something.
    var readHolds: Bool

    var isLow: Bool { levels.reorderPoint.map { levels.available <= $0 } ?? false }

    /// `location` is the bin, as the stock hash names it.
    var json: [String: Any] {
        var object: [String: Any] = ["sku": sku, "available": levels.available, "reserved": levels.reserved]
        object["location"] = levels.bin ?? NSNull()
        object["reorder_point"] = levels.reorderPoint ?? NSNull()
        if readHolds { object["held"] = levels.held }
        if !levels.locations.isEmpty {
            object["locations"] = levels.locations.mapValues { ["available": $0.available, "reserved": $0.reserved] }
        }
        return object
    }

    /// `LON-1 30/2, MAN-1 10/0`: available/reserved at each location.
    var locationsText: String {
        levels.locations.isEmpty ? "-" : levels.locations.sorted { $0.key < $1.key }.map {
            "\($0.key) \($0.value.available)/\($0.value.reserved)"
        }.joined(separator: ", ")
    }

    static func print(_ rows: [StockRow], json: Bool) {
        if json {
            Output.json(rows.map(\.json))
            return
        }
        Output.table(["SKU", "AVAILABLE", "RESERVED", "BIN", "REORDER POINT", "AT LOCATIONS (AVAILABLE/RESERVED)"],
                     rows.map { row in
            [row.sku, "\(row.levels.available)", "\(row.levels.reserved)", row.levels.bin ?? "-",
             row.levels.reorderPoint.map(String.init) ?? "-", row.locationsText]
        })
    }

    /// The rows of `skus` (all SKUs when empty), sorted by SKU; unknown SKUs left out.
    static func load(_ redis: any Redis, skus: [String]) async throws -> [StockRow] {
        var names = skus
        if names.isEmpty {
            names = KeyScan.tags(try await KeyScan.keys(redis, match: "oms:stock:{*}"), prefix: "oms:stock:")
        }
        let levels = try await InventoryStore(redis: redis).levels(skus: names)
        return zip(names, levels).compactMap { sku, levels in
            levels.map { StockRow(sku: sku, levels: $0, readHolds: false) }
        }.sorted { $0.sku < $1.sku }
    }
}

struct StockSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set a SKU's available stock (at a location), and its bin and reorder point.",
        discussion: """
            Reserved stock and the per-order holds are left alone. Setting does not confirm backorders; \
            `oms stock add` does.

            With --location (a location of the routing rules file, OMS_ROUTING_RULES), the SKU is stocked \
            per location: available@LOCATION is set, `available` stays the sum over its locations, and \
            capture reserves each order at the nearest location that has every line. What the SKU had \
            before its first location is taken to be there. From then on, every set and add names a location.

            Examples:
              oms stock set MUG-BLUE 40 --bin A-01-3 --reorder-point 5
              oms stock set MUG-BLUE 25 --location LON-1
            """)

    @OptionGroup var servers: ServerOptions
    @Argument(help: "The SKU.") var sku: String
    @Argument(help: "Units available now.") var quantity: Int
    @Option(help: "The location whose stock this is (stock per location).") var location: String?
    @Option(help: "Warehouse bin.") var bin: String?
    @Option(help: "Reorder point: `low` lists the SKU at or under it.") var reorderPoint: Int?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard quantity >= 0 else { throw ValidationError("the quantity must not be negative") }
        guard (reorderPoint ?? 0) >= 0 else { throw ValidationError("--reorder-point must not be negative") }
    }

    func run() async throws {
        try await CLI.run(servers) {
            try Identifier.check(sku, "SKU")
            let redis = try await servers.redis()
            let inventory = InventoryStore(redis: redis)
            if let location { try Identifier.check(location, "location") }
            do {
                try await inventory.set(sku: sku, available: quantity, bin: bin, reorderPoint: reorderPoint, at: location)
            } catch let error as StoreError where error.kind == .invalidArgument {
                throw CLIError("\(sku) is stocked per location: say which with --location (\(error))")
            }
            let levels = try await inventory.levels(sku: sku)
            await redis.close()
            let row = StockRow(sku: sku, levels: levels ?? StockLevels(available: quantity, reserved: 0, bin: bin,
                                                                       reorderPoint: reorderPoint, held: 0),
                               readHolds: true)
            if json { Output.json(row.json) } else {
                print("\(sku): available \(row.levels.available), reserved \(row.levels.reserved), "
                    + "bin \(row.levels.bin ?? "-"), reorder point \(row.levels.reorderPoint.map(String.init) ?? "-")"
                    + (row.levels.locations.isEmpty ? "" : "; at locations \(row.locationsText)"))
            }
        }
    }
}

struct StockAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add stock: publishes stock.restocked, so capture adds it and confirms backorders.",
        discussion: """
            The restock goes through oms.intake to oms-capture, which adds the units once (per restock id) \
            and confirms backordered orders for the SKU, oldest first, while the stock lasts. A SKU stocked \
            per location needs --location (see `oms stock set --help`, which makes a SKU one).

            Examples:
              oms stock add MUG-BLUE 40
              oms stock add MUG-BLUE 40 --location LON-1
            """)

    @OptionGroup var servers: ServerOptions
    @Argument(help: "The SKU.") var sku: String
    @Argument(help: "Units to add.") var quantity: Int
    @Option(help: "Where the units arrived (stock per location).") var location: String?
    @Option(help: "Restock id (default: a new one); the same id again adds nothing.") var restockID: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard quantity > 0 else { throw ValidationError("the quantity must be a positive integer") }
    }

    func run() async throws {
        try await CLI.run(servers) {
            try Identifier.check(sku, "SKU")
            let id = restockID ?? "cli-\(UUID().uuidString.lowercased())"
            try Identifier.check(id, "restock id")
            if let location { try Identifier.check(location, "location") }
            let body = JSONText.object([("sku", JSONText.string(sku)), ("quantity", "\(quantity)"),
                                        ("restock_id", JSONText.string(id))]
                                       + (location.map { [("location", JSONText.string($0))] } ?? []))
            let amqp = try await servers.amqp("stock add")
            try await amqp.publish(AMQPMessage(exchange: Topology.intake, routingKey: IntakeMessage.RoutingKey.stockRestocked.rawValue,
                                               body: Array(body.utf8), messageID: id))
            await amqp.close()
            if json {
                var object: [String: Any] = ["sku": sku, "quantity": quantity, "restock_id": id, "published": true]
                object["location"] = location
                Output.json(object)
            } else {
                print("published stock.restocked: \(sku) +\(quantity)\(location.map { " at \($0)" } ?? "") "
                    + "(restock id \(id)); oms-capture adds it and confirms backorders")
            }
        }
    }
}

struct StockGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show one SKU: available, reserved, held by orders, bin, reorder point, stock per location.",
        discussion: "Example: oms stock get MUG-BLUE --json")

    @OptionGroup var servers: ServerOptions
    @Argument(help: "The SKU.") var sku: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await CLI.run(servers) {
            try Identifier.check(sku, "SKU")
            let redis = try await servers.redis()
            let inventory = InventoryStore(redis: redis)
            guard let levels = try await inventory.levels(sku: sku) else { throw CLIError("no stock for SKU \(sku)") }
            let backorders = try await inventory.backorders(sku: sku, limit: 10_000)
            await redis.close()
            let row = StockRow(sku: sku, levels: levels, readHolds: true)
            if json {
                var object = row.json
                object["holds"] = levels.holds
                object["backorders"] = backorders
                object["low"] = row.isLow
                Output.json(object)
            } else {
                print("sku            \(sku)")
                print("available      \(levels.available)\(row.isLow ? "  (at or under the reorder point)" : "")")
                print("reserved       \(levels.reserved) (held by \(levels.holds.count) orders: \(levels.held))")
                print("bin            \(levels.bin ?? "-")")
                print("reorder point  \(levels.reorderPoint.map(String.init) ?? "-")")
                for location in levels.locations.keys.sorted() {
                    let stock = levels.locations[location]!
                    print("at \(location.padding(toLength: 12, withPad: " ", startingAt: 0))available \(stock.available), "
                        + "reserved \(stock.reserved) (held \(stock.held))")
                }
                print("backorders     \(backorders.count)")
            }
        }
    }
}

struct StockList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List SKUs with available, reserved, bin, reorder point and stock per location.",
        discussion: """
            Without SKUs, scans every oms:stock:{SKU} hash.

            Examples:
              oms stock list
              oms stock list MUG-BLUE MUG-RED --json
            """)

    @OptionGroup var servers: ServerOptions
    @Argument(help: "SKUs to show (default: all).") var skus: [String] = []
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await CLI.run(servers) {
            for sku in skus { try Identifier.check(sku, "SKU") }
            let redis = try await servers.redis()
            let rows = try await StockRow.load(redis, skus: skus)
            await redis.close()
            StockRow.print(rows, json: json)
        }
    }
}

struct StockLow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "low",
        abstract: "List SKUs whose available stock is at or under their reorder point.",
        discussion: "Example: oms stock low --json")

    @OptionGroup var servers: ServerOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await CLI.run(servers) {
            let redis = try await servers.redis()
            let rows = try await StockRow.load(redis, skus: []).filter(\.isLow)
            await redis.close()
            StockRow.print(rows, json: json)
        }
    }
}
