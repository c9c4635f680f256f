import Foundation
import OMSDomain

/// The delivery date capture promises in the confirmation email: the
/// warehouse ship will route the order to, the rate it will buy there, and
/// the carrier's dispatch calendar (cut-off, business days).
public struct DeliveryPromise: Sendable {
    public let routing: RoutingRules
    public let carrier: TableRateCarrier

    public init(routing: RoutingRules, carrier: TableRateCarrier) {
        self.routing = routing
        self.carrier = carrier
    }

    /// YYYY-MM-DD for an order confirmed at `time`, shipped from where its
    /// stock is held when that is known; nil when no service reaches it.
    public func date(for order: Order, confirmedAt time: Date, from stockLocation: String? = nil) -> String? {
        let weight = order.shippingWeightGrams(defaultItemWeightGrams: carrier.table.defaultItemWeightGrams)
        let route = routing.route(order, weightGrams: weight, stockLocation: stockLocation)
        guard let shipment = try? Shipment(order: order, route: route,
                                           defaultItemWeightGrams: carrier.table.defaultItemWeightGrams),
              let arrival = carrier.estimatedDelivery(for: shipment, orderedAt: time) else { return nil }
        return DispatchCalendar.dateText(arrival)
    }
}
