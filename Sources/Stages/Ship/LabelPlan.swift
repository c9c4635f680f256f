import Fulfilment
import OMSDomain

/// What ship buys for an order, decided before anything is claimed or
/// bought: where it ships from, what it weighs, its customs declaration
/// abroad, and the cheapest rate that meets the requested service.
struct LabelPlan: Sendable {
    let weight: Int
    let route: Route
    let customs: CustomsDeclaration?
    let shipment: Shipment
    let rate: Rate

    /// Throws `Refusal` when no label can be bought for the order as it is,
    /// and the carrier's own errors as they are.
    /// `pickLocation` is where oms-pick put the order on a picklist.
    init(order: Order, routing: RoutingRules, pickLocation: String?, carrier: any Carrier,
         defaultItemWeightGrams: Int) throws {
        weight = order.shippingWeightGrams(defaultItemWeightGrams: defaultItemWeightGrams)
        route = routing.route(order, weightGrams: weight, stockLocation: pickLocation)
        do {
            customs = try CustomsDeclaration.make(for: order, from: route.originCountry,
                                                  defaultItemWeightGrams: defaultItemWeightGrams)
        } catch {
            throw Refusal(reason: "cannot declare customs: \(error)")
        }
        shipment = try Shipment(order: order, route: route, defaultItemWeightGrams: defaultItemWeightGrams)
        guard let rate = try carrier.quote(shipment).first else {
            throw Refusal(reason: "\(carrier.name) offers no service for order \(order.id)")
        }
        self.rate = rate
    }
}
