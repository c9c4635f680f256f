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
    var available: Int
    var reserved: Int
    var location: String?
    var reorderPoint: Int?
    var held: Int?

    var isLow: Bool { reorderPoint.map { available <= $0 } ?? false }

    var json: [String: Any] {
        var object: [String: Any] = ["sku": sku, "available": available, "reserved": reserved]
        object["location"] = location ?? NSNull()
        object["reorder_point"] = reorderPoint ?? NSNull()
        if let held { object["held"] = held }
        return object
    }

    static func print(_ rows: [StockRow], json: Bool) {
        if json {
            Output.json(rows.map(\.json))
            return
        }
        Output.table(["SKU", "AVAILABLE", "RESERVED", "LOCATION", "REORDER POINT"], rows.map { row in
            [row.sku, "\(row.available)", "\(row.reserved)", row.location ?? "-", row.reorderPoint.map(String.init) ?? "-"]
        })
    }

    /// The rows of `skus` (all SKUs when empty), sorted by SKU; unknown SKUs left out.
    static func load(_ redis: any Redis, skus: [String]) async throws -> [StockRow] {
        var names = skus
        if names.isEmpty {
            names = KeyScan.tags(try await KeyScan.keys(redis, match: "oms:stock:{*}"), prefix: "oms:stock:")
        }
        var rows: [StockRow] = []
        for chunk in names.chunked(500) {
            let replies = try await redis.pipeline(chunk.map {
                RedisCommand("HMGET", RedisKeys.stock($0), "available", "reserved", "location", "reorder_point")
            })
            for (sku, reply) in zip(chunk, replies) {
                guard let values = reply.array, values.count == 4, values.contains(where: { !$0.isNull }) else { continue }
                rows.append(StockRow(sku: sku, available: values[0].int ?? 0, reserved: values[1].int ?? 0,
                                     location: values[2].string, reorderPoint: values[3].int))
            }
        }
        return rows.sorted { $0.sku < $1.sku }
    }
}

struct StockSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set a SKU's available stock (and its bin and reorder point).",
        discussion: """
            Reserved stock and the per-order holds are left alone. Setting does not confirm backorders; \
            `oms stock add` does.

            Example: oms stock set MUG-BLUE 40 --location A-01-3 --reorder-point 5
            """)

    @OptionGroup var servers: ServerOptions
    @Argument(help: "The SKU.") var sku: String
    @Argument(help: "Units available now.") var quantity: Int
    @Option(help: "Warehouse bin.") var location: String?
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
            try await inventory.set(sku: sku, available: quantity, location: location, reorderPoint: reorderPoint)
            let levels = try await inventory.levels(sku: sku)
            await redis.close()
            let row = StockRow(sku: sku, available: levels?.available ?? quantity, reserved: levels?.reserved ?? 0,
                               location: levels?.location, reorderPoint: levels?.reorderPoint, held: levels?.held)
            if json { Output.json(row.json) } else {
                print("\(sku): available \(row.available), reserved \(row.reserved), location \(row.location ?? "-"), "
                    + "reorder point \(row.reorderPoint.map(String.init) ?? "-")")
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
            and confirms backordered orders for the SKU, oldest first, while the stock lasts.

            Example: oms stock add MUG-BLUE 40
            """)

    @OptionGroup var servers: ServerOptions
    @Argument(help: "The SKU.") var sku: String
    @Argument(help: "Units to add.") var quantity: Int
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
            let body = JSONText.object([("sku", JSONText.string(sku)), ("quantity", "\(quantity)"),
                                        ("restock_id", JSONText.string(id))])
            let amqp = try await servers.amqp("stock add")
            try await amqp.publish(AMQPMessage(exchange: Topology.intake, routingKey: IntakeMessage.RoutingKey.stockRestocked.rawValue,
                                               body: Array(body.utf8), messageID: id))
            await amqp.close()
            if json {
                Output.json(["sku": sku, "quantity": quantity, "restock_id": id, "published": true] as [String: Any])
            } else {
                print("published stock.restocked: \(sku) +\(quantity) (restock id \(id)); "
                    + "oms-capture adds it and confirms backorders")
            }
        }
    }
}

struct StockGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show one SKU: available, reserved, held by orders, location, reorder point.",
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
            let holds = try await inventory.holds(sku: sku)
            let backorders = try await inventory.backorders(sku: sku, limit: 10_000)
            await redis.close()
            let row = StockRow(sku: sku, available: levels.available, reserved: levels.reserved,
                               location: levels.location, reorderPoint: levels.reorderPoint, held: levels.held)
            if json {
                var object = row.json
                object["holds"] = holds
                object["backorders"] = backorders
                object["low"] = row.isLow
                Output.json(object)
            } else {
                print("sku            \(sku)")
                print("available      \(levels.available)\(row.isLow ? "  (at or under the reorder point)" : "")")
                print("reserved       \(levels.reserved) (held by \(holds.count) orders: \(levels.held))")
                print("location       \(levels.location ?? "-")")
                print("reorder point  \(levels.reorderPoint.map(String.init) ?? "-")")
                print("backorders     \(backorders.count)")
            }
        }
    }
}

struct StockList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List SKUs with available, reserved, location and reorder point.",
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
