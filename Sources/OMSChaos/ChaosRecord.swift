import OMSDomain
import Synchronization

/// What the checker saw while a phase ran: every order and command the
/// broker confirmed, and every status event on its own queue of `oms.events`.
/// Shared between the publisher and the listener, so behind a lock.
final class ChaosRecord: Sendable {
    private let state = Mutex(State())

    struct State {
        var orders: [String: [OrderLine]] = [:]
        var cancels: Set<String> = []
        var restocked: [String: Int] = [:]
        var events: [ObservedEvent] = []
        /// Malformed messages the broker confirmed, by id (`poison-PHASE-N`).
        var poison: Set<String> = []
        /// Poison ids found in `oms.dead`, each with the reason it carried.
        var deadPoison: [String: String] = [:]
    }

    func confirmedOrder(id: String, lines: [OrderLine]) { state.withLock { $0.orders[id] = lines } }
    func confirmedCancel(id: String) { state.withLock { _ = $0.cancels.insert(id) } }
    func confirmedRestock(sku: String, quantity: Int) { state.withLock { $0.restocked[sku, default: 0] += quantity } }
    func observed(_ event: ObservedEvent) { state.withLock { $0.events.append(event) } }
    func confirmedPoison(id: String) { state.withLock { _ = $0.poison.insert(id) } }
    func deadLettered(poison id: String, reason: String) { state.withLock { $0.deadPoison[id] = reason } }

    var snapshot: State { state.withLock { $0 } }
    var confirmedOrders: Int { state.withLock { $0.orders.count } }
}

/// A line as the checker placed it.
struct OrderLine: Sendable, Hashable {
    var sku: String
    var quantity: Int
}

/// A status event as the checker's queue received it (redeliveries included).
struct ObservedEvent: Sendable, Hashable {
    var id: String
    var orderID: String
    var status: OrderStatus
    var version: Int
}
