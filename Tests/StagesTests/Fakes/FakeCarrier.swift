import Fulfilment
import Synchronization

/// The table-rate carrier, counting the labels it sells, or failing every
/// purchase with `failure`.
final class FakeCarrier: Carrier {
    private let table = TableRateCarrier()
    private let failure: CarrierError?
    private let purchases = Mutex(0)

    init(failure: CarrierError? = nil) {
        self.failure = failure
    }

    var name: String { table.name }
    var labelsSold: Int { purchases.withLock { $0 } }

    func quote(_ shipment: Shipment) throws(CarrierError) -> [Rate] {
        try table.quote(shipment)
    }

    func purchase(_ rate: Rate, for shipment: Shipment, idempotencyKey: String) async throws(CarrierError)
        -> PurchasedLabel {
        if let failure { throw failure }
        purchases.withLock { $0 += 1 }
        return try await table.purchase(rate, for: shipment, idempotencyKey: idempotencyKey)
    }
}
