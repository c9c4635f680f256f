import OMSDomain

/// A card payment gateway, as the payment stage uses it: authorise the
/// order's total against the card token, capture it, and later refund or void.
/// The built-in sandbox answers by token (DESIGN.md); real gateways plug in
/// behind the same interface.
///
/// Every call carries an idempotency key. The payment stage is delivered at
/// least once, so it repeats a call after a crash or a lost answer, with the
/// same key; a gateway must then answer as it did the first time and charge
/// nothing twice. Use one key per order and operation ("web-100234:authorize").
///
/// Errors say whether to retry: `.declined` is permanent (the order is
/// cancelled with the reason), `.unavailable` is transient (retry with backoff,
/// then dead-letter). Reasons never contain the card token.
public protocol PaymentGateway: Sendable {
    /// Reserves `amount` on the card behind `token`.
    func authorize(amount: Money, token: String, idempotencyKey: String) async throws(GatewayError) -> Authorization

    /// Takes the whole authorised amount.
    func capture(_ authorization: Authorization, idempotencyKey: String) async throws(GatewayError) -> Capture

    /// Pays back `amount` (at most what was captured, less earlier refunds).
    func refund(_ capture: Capture, amount: Money, idempotencyKey: String) async throws(GatewayError) -> Refund

    /// Releases an authorisation that will not be captured.
    func void(_ authorization: Authorization, idempotencyKey: String) async throws(GatewayError)
}
