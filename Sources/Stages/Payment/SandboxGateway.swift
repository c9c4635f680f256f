import Foundation
import Fulfilment
import OMSDomain
import RedisClient

/// The built-in `sandbox` gateway of DESIGN.md, like a card processor's test
/// mode: the token decides. `tok_visa` (and `tok_mastercard`) are approved,
/// `tok_chargeDeclined` is declined, `tok_unavailable` always fails
/// transiently, and `tok_flaky` fails transiently on its first call per
/// idempotency key, then is approved (for tests of the retry path).
///
/// Like a real processor it keeps every result by idempotency key, in Redis
/// (`oms:sandbox:{ledger}`), so a repeated call returns what the first one
/// did and never moves money twice; `oms:sandbox:{ledger}:calls` counts calls
/// per key. `latency` models a real processor's response time; calls wait
/// without holding a thread, so a worker keeps many in flight.
public struct SandboxGateway: PaymentGateway {
    let redis: any Redis
    let latency: Duration

    public init(redis: any Redis, latency: Duration) {
        self.redis = redis
        self.latency = latency
    }

    static let ledger = "oms:sandbox:{ledger}"
    static let calls = "oms:sandbox:{ledger}:calls"

    public func authorize(amount: Money, token: String,
                          idempotencyKey: String) async throws(GatewayError) -> Authorization {
        let attempt = try await call(idempotencyKey)
        switch token {
        case "tok_visa", "tok_mastercard":
            break
        case "tok_flaky" where attempt > 1:
            break
        case "tok_flaky", "tok_unavailable":
            throw .unavailable("the sandbox gateway did not answer in time")
        case "tok_chargeDeclined":
            throw .declined("card declined (sandbox token tok_chargeDeclined)")
        default:
            throw .declined("unknown sandbox token; use tok_visa, tok_chargeDeclined or tok_unavailable")
        }
        let id = try await keep(idempotencyKey, prefix: "auth", amount: amount)
        return Authorization(id: id, amount: amount)
    }

    public func capture(_ authorization: Authorization, idempotencyKey: String) async throws(GatewayError) -> Capture {
        _ = try await call(idempotencyKey)
        let id = try await keep(idempotencyKey, prefix: "ch", amount: authorization.amount)
        return Capture(id: id, amount: authorization.amount)
    }

    public func refund(_ capture: Capture, amount: Money, idempotencyKey: String) async throws(GatewayError) -> Refund {
        _ = try await call(idempotencyKey)
        guard amount.minorUnits <= capture.amount.minorUnits else {
            throw .declined("refund of \(amount) is more than the \(capture.amount) captured")
        }
        let id = try await keep(idempotencyKey, prefix: "re", amount: amount)
        return Refund(id: id, amount: amount)
    }

    public func void(_ authorization: Authorization, idempotencyKey: String) async throws(GatewayError) {
        _ = try await call(idempotencyKey)
        _ = try await keep(idempotencyKey, prefix: "void", amount: authorization.amount)
    }

    /// Waits the modelled latency and counts the call; returns its number.
    private func call(_ idempotencyKey: String) async throws(GatewayError) -> Int {
        try? await Task.sleep(for: latency)
        do {
            return try await redis.send(RedisCommand("HINCRBY", Self.calls, idempotencyKey, 1)).int ?? 1
        } catch {
            throw .unavailable("the sandbox ledger (Redis) did not answer: \(error)")
        }
    }

    /// The result kept for this key: the first call's, whatever came after.
    private func keep(_ idempotencyKey: String, prefix: String, amount: Money) async throws(GatewayError) -> String {
        let id = "\(prefix)_\(OrderCoding.contentHash(Array(idempotencyKey.utf8)))"
        do {
            _ = try await redis.send(RedisCommand("HSETNX", Self.ledger, idempotencyKey,
                                                  "\(id) \(amount.minorUnits) \(amount.currency.code)"))
            let kept = try await redis.send(RedisCommand("HGET", Self.ledger, idempotencyKey)).string ?? id
            return String(kept.split(separator: " ").first ?? Substring(id))
        } catch {
            throw .unavailable("the sandbox ledger (Redis) did not answer: \(error)")
        }
    }
}
