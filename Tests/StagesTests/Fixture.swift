import Foundation
import Logging
import OMSContract
import OMSDomain
import Synchronization
import Testing
import WorkerRuntime

/// Orders, messages and contexts as the runtime would hand them to a stage.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let logger = Logger(label: "oms.test") { _ in SwiftLogNoOpLogHandler() }

    /// An `order.place` body: 2 × MUG-BLUE at 12.50 to London, unless told otherwise.
    static func placeBody(id: String = "t-1001", quantity: Int = 2, country: String = "GB",
                          payment: String = #"{"method": "card", "token": "tok_visa"}"#) -> [UInt8] {
        Array("""
        {"id": "\(id)", "channel": "web", "external_id": "#\(id)", "placed_at": "2026-11-22T10:00:00Z",
         "currency": "GBP", "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
         "shipping_address": {"line1": "12 Analytical St", "city": "London", "postal_code": "N1 9GU",
                              "country": "\(country)"},
         "lines": [{"sku": "MUG-BLUE", "quantity": \(quantity), "unit_price": 1250}],
         "shipping": {"service": "standard"}, "payment": \(payment)}
        """.utf8)
    }

    static func order(id: String = "t-1001", prepaid: Bool = false, token: String = "tok_visa",
                      country: String = "GB") throws -> Order {
        let payment = prepaid ? #"{"method": "prepaid"}"# : #"{"method": "card", "token": "\#(token)"}"#
        guard case .place(let order) = try IntakeMessage.decode(routingKey: "order.place",
                                                                  body: placeBody(id: id, country: country,
                                                                                  payment: payment)) else {
            throw FixtureError.notAnOrder
        }
        return order
    }

    static func place(_ body: [UInt8]) -> IncomingMessage {
        IncomingMessage(routingKey: IntakeMessage.RoutingKey.orderPlace.rawValue, body: body)
    }

    /// The status event that hands `order` to the next stage, as the previous stage publishes it.
    static func handoff(_ order: Order, _ status: OrderStatus, version: Int) -> IncomingMessage {
        let event = StageEvents.order(order, status, version: version, context(.capture))
        return IncomingMessage(routingKey: event.routingKey, body: event.body)
    }

    /// Stores t-1001 in `status` (a stage may have moved it on) and returns the
    /// `handedOver` event that brought it to the stage.
    static func handoff(_ handedOver: OrderStatus, storing orders: FakeOrderRecords, as status: OrderStatus,
                        version: Int) async throws -> IncomingMessage {
        let order = try order()
        await orders.seed(order, status: status, version: version)
        return handoff(order, handedOver, version: version)
    }

    /// A `Handoff` on `oms.work`, routed to `stage`.
    static func work(_ handoff: Handoff, to stage: Stage) -> IncomingMessage {
        IncomingMessage(routingKey: stage.rawValue, body: handoff.encoded())
    }

    static func context(_ stage: Stage, publishing published: Published = Published()) -> HandlerContext {
        HandlerContext(stage: stage, logger: logger, trace: .root(), now: now) { messages in
            published.append(messages)
        }
    }

    /// A documents folder of the test's own.
    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("oms-stages-\(UUID().uuidString)").path
    }
}

enum FixtureError: Error {
    case notAnOrder
}

/// What a handler published through `HandlerContext.publish`.
final class Published: Sendable {
    private let messages = Mutex<[OutgoingMessage]>([])

    func append(_ more: [OutgoingMessage]) {
        messages.withLock { $0 += more }
    }

    var all: [OutgoingMessage] { messages.withLock { $0 } }
}

extension Outcome {
    /// The messages published with this outcome, done or dead-lettered.
    var messages: [OutgoingMessage] {
        switch self {
        case .done(let messages), .deadLetter(_, let messages): messages
        case .retry: []
        }
    }

    var deadLetterReason: String? {
        if case .deadLetter(let reason, _) = self { reason } else { nil }
    }

    var retryReason: String? {
        if case .retry(let reason) = self { reason } else { nil }
    }
}

extension OutgoingMessage {
    /// The status event this message is, if it is one.
    var event: OrderEvent? {
        exchange == Topology.events ? try? OrderEvent.decode(body) : nil
    }

    var handoff: Handoff? {
        exchange == Topology.work ? try? Handoff.decode(body) : nil
    }
}

/// The types and versions of the status events among `messages`, in order.
func events(_ messages: [OutgoingMessage]) -> [String] {
    messages.compactMap(\.event).map { "\($0.type) v\($0.data.version)" }
}
