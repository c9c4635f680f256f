import CLISupport
import Foundation
import OMSDomain
import OMSStore
import RedisClient

extension SettledFacts {
    /// The sandbox gateway's ledger: idempotency key → what it kept.
    static let gatewayLedger = "oms:sandbox:{ledger}"

    /// Everything the oracle judges: orders, stock levels, emails, the gateway's ledger.
    static func read(ids: [String], initialStock: [String: Int], redis: any Redis,
                     mailDirectory: String) async throws -> SettledFacts {
        var facts = try await readOrdersAndPayments(ids: ids, redis: redis)
        let skus = Array(initialStock.keys)
        for (sku, levels) in zip(skus, try await InventoryStore(redis: redis).levels(skus: skus)) {
            if let levels { facts.stock[sku] = (levels.available, levels.reserved) }
        }
        facts.initialStock = initialStock
        facts.emailMessageIDs = emails(about: Set(ids), in: mailDirectory + "/new")
        return facts
    }

    /// Only the orders' statuses and versions and the gateway's ledger: what
    /// a phase's aftermath is waited for by, read again and again.
    static func readOrdersAndPayments(ids: [String], redis: any Redis) async throws -> SettledFacts {
        let statuses = try await OrderStore(redis: redis).statuses(orderIDs: ids)
        var orders: [String: (status: OrderStatus, version: Int)] = [:]
        for (id, state) in zip(ids, statuses) { orders[id] = state }
        return SettledFacts(orders: orders, stock: [:], initialStock: [:], emailMessageIDs: [],
                            captured: try await ledger(ids, "capture", redis),
                            refunded: try await ledger(ids, "refund", redis))
    }

    /// The orders for which the gateway's ledger holds an `ID:operation` result.
    static func ledger(_ ids: [String], _ operation: String, _ redis: any Redis) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let fields = ids.map { "\($0):\(operation)" }
        let reply = try await redis.send(RedisCommand("HMGET", arguments: [gatewayLedger] + fields))
        guard case .array(let values) = reply else {
            throw CLIError("cannot read the gateway's ledger \(gatewayLedger): \(reply)")
        }
        return Set(zip(ids, values).filter { $0.1 != .null }.map(\.0))
    }

    /// The Message-ID of every stored email whose `X-OMS-Order` is one of `ids`.
    static func emails(about ids: Set<String>, in folder: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.compactMap { name in
            guard let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) else { return nil }
            var messageID: String?
            var order: String?
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = line.hasSuffix("\r") ? line.dropLast() : line
                if line.isEmpty { break }
                if line.lowercased().hasPrefix("message-id:") { messageID = Self.value(line) }
                if line.hasPrefix("X-OMS-Order:") { order = Self.value(line) }
            }
            guard let order, ids.contains(order) else { return nil }
            return messageID
        }
    }

    private static func value(_ line: Substring) -> String {
        String(line[line.index(after: line.firstIndex(of: ":")!)...]).trimmingCharacters(in: .whitespaces)
    }
}
