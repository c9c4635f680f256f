import Foundation
import Fulfilment
import OMSDomain
import Testing

@Suite("Payment gateway and carrier value types")
struct PaymentTypesTests {
    @Test("declined is permanent, unavailable transient, and both read well")
    func gatewayErrors() {
        let declined = GatewayError.declined("card declined")
        let unavailable = GatewayError(.unavailable, "timed out after 10 s")
        #expect(!declined.isTransient)
        #expect(unavailable.isTransient)
        #expect(declined.kind == .declined)
        #expect(declined.description == "payment declined: card declined")
        #expect(unavailable.description == "payment gateway unavailable: timed out after 10 s")
    }

    @Test("a carrier's refusal is permanent and its unavailability transient")
    func carrierErrors() {
        #expect(!CarrierError(.refused, "table-rate does not ship to KP", carrier: "table-rate").isTransient)
        let down = CarrierError(.unavailable, "HTTP 503", carrier: "easypost")
        #expect(down.isTransient)
        #expect(down.description == "easypost is unavailable: HTTP 503")
    }

    @Test("authorisations, captures, refunds and labels round-trip through JSON (effect markers)")
    func roundTrip() throws {
        let usd = Currency(code: "USD")!
        let authorization = Authorization(id: "auth_1", amount: Money(minorUnits: 3399, currency: usd))
        let capture = Capture(id: "ch_1", amount: Money(minorUnits: 3399, currency: usd))
        let refund = Refund(id: "re_1", amount: Money(minorUnits: 1250, currency: usd))
        let label = PurchasedLabel(trackingNumber: "RR473124829GB", carrier: "table-rate", service: .express,
                                   price: Money(minorUnits: 695, currency: Currency(code: "EUR")!))
        let route = Route(location: "LON-1", originCountry: "GB", service: .express, matchedRule: 2)
        #expect(try Self.roundTrip(authorization) == authorization)
        #expect(try Self.roundTrip(capture) == capture)
        #expect(try Self.roundTrip(refund) == refund)
        #expect(try Self.roundTrip(label) == label)
        #expect(try Self.roundTrip(route) == route)
        let json = String(decoding: try JSONEncoder().encode(label), as: UTF8.self)
        #expect(json.contains(#""tracking_number":"RR473124829GB""#))
    }

    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }
}
