import Fulfilment
import OMSDomain

/// A gateway that answers by token like the sandbox (`tok_visa` approved,
/// `tok_chargeDeclined` declined, `tok_unavailable` away) and counts its
/// calls per idempotency key.
actor FakeGateway: PaymentGateway {
    private(set) var calls: [String: Int] = [:]

    func authorize(amount: Money, token: String, idempotencyKey: String) async throws(GatewayError) -> Authorization {
        calls[idempotencyKey, default: 0] += 1
        switch token {
        case "tok_visa": return Authorization(id: "auth_\(idempotencyKey)", amount: amount)
        case "tok_unavailable": throw .unavailable("timed out")
        default: throw .declined("card declined")
        }
    }

    func capture(_ authorization: Authorization, idempotencyKey: String) async throws(GatewayError) -> Capture {
        calls[idempotencyKey, default: 0] += 1
        return Capture(id: "ch_\(idempotencyKey)", amount: authorization.amount)
    }

    func refund(_ capture: Capture, amount: Money, idempotencyKey: String) async throws(GatewayError) -> Refund {
        calls[idempotencyKey, default: 0] += 1
        return Refund(id: "re_\(idempotencyKey)", amount: amount)
    }

    func void(_ authorization: Authorization, idempotencyKey: String) async throws(GatewayError) {
        calls[idempotencyKey, default: 0] += 1
    }
}
