import AMQPClient
import Foundation
import OMSContract
import OMSDomain

/// The orders of one phase and how they are published: one or two lines over
/// the phase's SKUs, a cancel for every `cancelEvery`th order, a restock per
/// SKU half way; every publish retried until the broker confirms it (a
/// broker restart or a blocked connection fails publishes for a while, at
/// most `stallLimit`), and recorded once confirmed.
struct ChaosFlow: Sendable {
    var phase: String
    var orders: Int
    var skus: [String]
    var rate: Int
    var cancelEvery: Int

    var ids: [String] { (1...orders).map { "chaos-\(phase)-\($0)" } }

    func lines(of number: Int) -> [OrderLine] {
        let first = OrderLine(sku: skus[number % skus.count], quantity: 1)
        guard number % 3 == 0, skus.count > 1 else { return [first] }
        return [first, OrderLine(sku: skus[(number + 1) % skus.count], quantity: 2)]
    }

    /// Enough for every order of the phase, restocks aside.
    var unitsPerSKU: Int { (orders * 3 + skus.count - 1) / skus.count + 10 }

    func publish(on amqp: AMQPConnection, record: ChaosRecord, stallLimit: Duration) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        for number in 1...orders {
            let id = "chaos-\(phase)-\(number)"
            try await confirm(amqp, IntakeMessage.RoutingKey.orderPlace, Self.order(id: id, lines: lines(of: number)),
                              within: stallLimit)
            record.confirmedOrder(id: id, lines: lines(of: number))
            if number % cancelEvery == 0 {
                try await confirm(amqp, .orderCancel, Array(#"{"order_id":"\#(id)","reason":"chaos"}"#.utf8),
                                  within: stallLimit)
                record.confirmedCancel(id: id)
            }
            if number == orders / 2 {
                for sku in skus {
                    let body = #"{"sku":"\#(sku)","quantity":5,"restock_id":"chaos-\#(phase)-\#(sku)"}"#
                    try await confirm(amqp, .stockRestocked, Array(body.utf8), within: stallLimit)
                    record.confirmedRestock(sku: sku, quantity: 5)
                }
            }
            let due = started + .microseconds(number * 1_000_000 / rate)
            if due > clock.now { try await Task.sleep(until: due, clock: clock) }
        }
    }

    /// As many malformed messages as orders, at the same rate: a third not
    /// JSON, a third orders without lines (rejected), a third under a
    /// routing key `oms.intake` does not know.
    func publishPoison(on amqp: AMQPConnection, record: ChaosRecord, stallLimit: Duration) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        for number in 1...orders {
            let id = "poison-\(phase)-\(number)"
            let (key, body) = switch number % 3 {
            case 0: ("order.place", "\(id) is not JSON {")
            case 1: ("order.place", #"{"id":"\#(id)","channel":"web"}"#)
            default: ("order.explode", #"{"id":"\#(id)"}"#)
            }
            try await confirm(amqp, routingKey: key, Array(body.utf8), within: stallLimit)
            record.confirmedPoison(id: id)
            let due = started + .microseconds(number * 1_000_000 / rate)
            if due > clock.now { try await Task.sleep(until: due, clock: clock) }
        }
    }

    private func confirm(_ amqp: AMQPConnection, _ key: IntakeMessage.RoutingKey, _ body: [UInt8],
                         within limit: Duration) async throws {
        try await confirm(amqp, routingKey: key.rawValue, body, within: limit)
    }

    private func confirm(_ amqp: AMQPConnection, routingKey: String, _ body: [UInt8],
                         within limit: Duration) async throws {
        let message = AMQPMessage(exchange: Topology.intake, routingKey: routingKey, body: body)
        let deadline = ContinuousClock.now + limit
        while true {
            do {
                return try await amqp.publish(message)
            } catch let error as AMQPError where error.isTransient && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    static func order(id: String, lines: [OrderLine]) -> [UInt8] {
        let items = lines.map { #"{"sku":"\#($0.sku)","quantity":\#($0.quantity),"unit_price":1250}"# }
            .joined(separator: ",")
        return Array(#"{"id":"\#(id)","channel":"web","placed_at":"2026-12-05T10:00:00Z","currency":"GBP","customer":{"name":"Ada Lovelace","email":"ada@example.com"},"shipping_address":{"line1":"12 Analytical St","city":"London","postal_code":"N1 9GU","country":"GB"},"lines":[\#(items)],"shipping":{"service":"standard"},"payment":{"method":"card","token":"tok_visa"}}"#.utf8)
    }
}
