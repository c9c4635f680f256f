import OMSDomain

/// A carrier oms can buy labels from: the built-in `table-rate` carrier today,
/// an HTTP client for a label API (EasyPost, Shippo, a national post) later.
///
/// `quote` prices a shipment and may be called any number of times. `purchase`
/// buys a label and carries an idempotency key: the ship stage is delivered at
/// least once, so a redelivered message buys again with the same key, and the
/// carrier must answer with the label it sold the first time.
///
/// Errors say whether to retry: `.refused` is permanent (dead-letter the order
/// with the reason), `.unavailable` is transient (retry with backoff).
public protocol Carrier: Sendable {
    /// The carrier's name in labels, rates and events: "table-rate".
    var name: String { get }

    /// The services that meet the shipment's requested service, cheapest first.
    /// The first is the one to buy.
    func quote(_ shipment: Shipment) throws(CarrierError) -> [Rate]

    /// Buys the label for `rate`. The same `idempotencyKey` always returns the
    /// same label; use one key per order (and per parcel, if it ever splits).
    func purchase(_ rate: Rate, for shipment: Shipment, idempotencyKey: String) async throws(CarrierError)
        -> PurchasedLabel
}
