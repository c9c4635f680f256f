import ArgumentParser
import Foundation
import OMSDomain
import OMSStore
import RedisClient

/// `oms status ID`: one order, its lines and its timeline.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show an order: status, version, customer, lines, total, shipment and timeline.",
        discussion: """
            Times are shown in local time (JSON has them in UTC, RFC 3339). An order no single location \
            could fill lists its parcels: each one's location and lines, and its carrier and tracking \
            number once shipped. A missing order prints "no order ID" and exits 1.

            Examples:
              oms status web-100234
              oms status --json web-100234
            """)

    @OptionGroup var servers: ServerOptions

    @Argument(help: "The order id.")
    var id: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        try await CLI.run(servers) {
            try Identifier.check(id, "order id")
            let redis = try await servers.redis()
            let store = OrderStore(redis: redis)
            let fields = try await store.fields(orderID: id)
            guard !fields.isEmpty, fields["status"] != nil else { throw CLIError("no order \(id)") }
            let history = try await store.history(orderID: id)
            await redis.close()
            let order = fields["document"].flatMap { try? OrderCoding.decode(Array($0.utf8)) }
            if json {
                printJSON(fields: fields, order: order, history: history)
            } else {
                printText(fields: fields, order: order, history: history)
            }
        }
    }

    private func printText(fields: [String: String], order: Order?, history: [HistoryEntry]) {
        print("order     \(id)")
        print("status    \(fields["status"] ?? "?") (version \(fields["version"] ?? "?"))")
        print("channel   \(fields["channel"] ?? order?.channel ?? "-")")
        if let order {
            print("customer  \(order.customer.name) <\(order.customer.email)>")
            print("ship to   \(order.shippingAddress.city), \(order.shippingAddress.country) "
                + "(\(order.shipping.service.rawValue))")
            print("lines")
            for line in order.lines {
                let price = Money(minorUnits: line.unitPrice, currency: order.currency)
                let amount = (try? price.multiplied(by: line.quantity)).map(\.description) ?? "?"
                print("  \(line.sku)  × \(line.quantity)  at \(price)  = \(amount)")
            }
            print("total     \((try? order.total).map(\.description) ?? "(overflows)")")
        }
        if let tracking = fields["tracking_number"] {
            print("shipment  \(tracking) (\([fields["carrier"], fields["service"]].compactMap { $0 }.joined(separator: ", ")))")
        }
        for (index, parcel) in ParcelSummary.read(fields).enumerated() {
            print((index == 0 ? "parcels   " : "          ") + parcel.text)
        }
        if let reason = fields["reason"] { print("reason    \(reason)") }
        if !history.isEmpty {
            print("timeline")
            for entry in history {
                let move = entry.isTransition
                    ? "\(entry.from?.rawValue ?? "(new)") → \(entry.to.rawValue)"
                    : "(\(entry.to.rawValue), unchanged)"
                let note = entry.note.isEmpty ? "" : "  \(entry.note)"
                print("  \(Output.local(entry.time))  \(move)  [\(entry.stage)]\(note)")
            }
        }
    }

    private func printJSON(fields: [String: String], order: Order?, history: [HistoryEntry]) {
        var object: [String: Any] = [
            "id": id, "status": fields["status"] ?? "", "version": Int(fields["version"] ?? "") ?? 0,
            "channel": fields["channel"] ?? order?.channel ?? "",
        ]
        for key in ["tracking_number", "carrier", "service", "reason", "updated_at", "created_at"] {
            if let value = fields[key] { object[key] = value }
        }
        let parcels = ParcelSummary.read(fields)
        if !parcels.isEmpty {
            object["parcels"] = parcels.map { parcel in
                var entry: [String: Any] = ["number": parcel.number, "location": parcel.location,
                                            "lines": parcel.lines.map { ["sku": $0.sku, "quantity": $0.quantity] }]
                entry["carrier"] = parcel.carrier
                entry["tracking_number"] = parcel.trackingNumber
                return entry
            }
        }
        if let order {
            object["customer"] = ["name": order.customer.name, "email": order.customer.email]
            object["currency"] = order.currency.code
            object["lines"] = order.lines.map { line in
                ["sku": line.sku, "quantity": line.quantity, "unit_price": line.unitPrice] as [String: Any]
            }
            if let total = try? order.total {
                object["total"] = ["minor_units": total.minorUnits, "currency": total.currency.code,
                                   "text": total.description] as [String: Any]
            }
        }
        object["history"] = history.map { entry in
            var item: [String: Any] = [
                "to": entry.to.rawValue, "version": entry.version, "time": RFC3339.format(entry.time),
                "stage": entry.stage, "note": entry.note, "transition": entry.isTransition,
            ]
            item["from"] = entry.from?.rawValue ?? NSNull()
            return item
        }
        Output.json(object)
    }
}

/// `oms orders`: the orders in Redis, filtered.
struct Orders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List orders, newest change first, optionally by status and channel.",
        discussion: """
            Scans the oms:order:{ID} hashes (SCAN, so it does not block Redis) and reads status, channel \
            and updated_at in pipelines.

            Examples:
              oms orders --status backordered
              oms orders --channel web --limit 20 --json
            """)

    @OptionGroup var servers: ServerOptions

    @Option(help: "Only orders with this status.")
    var status: String?

    @Option(help: "Only orders from this channel.")
    var channel: String?

    @Option(help: "At most this many orders (0: all).")
    var limit = 50

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if let status, OrderStatus(rawValue: status) == nil {
            throw ValidationError("unknown status '\(status)'; statuses are "
                + OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
    }

    func run() async throws {
        try await CLI.run(servers) {
            let redis = try await servers.redis()
            var rows = try await OrderSummary.scan(redis, status: status, channel: channel)
            await redis.close()
            let total = rows.count
            if limit > 0, rows.count > limit { rows = Array(rows.prefix(limit)) }
            if json {
                Output.json(rows.map { ["id": $0.id, "status": $0.status, "channel": $0.channel, "updated_at": $0.updated] as [String: Any] })
            } else {
                Output.table(["ID", "STATUS", "CHANNEL", "UPDATED"], rows.map { row in
                    [row.id, row.status, row.channel, RFC3339.parse(row.updated).map(Output.local) ?? row.updated]
                })
                if total > rows.count { print("… \(total - rows.count) more (use --limit)") }
            }
        }
    }
}
