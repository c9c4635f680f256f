import Foundation
@testable import OMSHTTP
import OMSDomain
import OMSStore
import Testing

/// The returns portal against a running server, RabbitMQ and Redis, as a customer uses it.
@Suite("HTTP returns portal", .serialized)
struct ReturnsPortalTests {
    /// A shipped order in Redis, moved there through the state machine.
    static func shippedOrder(_ server: LiveServer) async throws -> String {
        let id = TestBackends.unique("ret")
        try await server.storeReceived(APITests.orderBody(id: id, quantity: 2))
        let store = OrderStore(redis: server.redis)
        for status in [OrderStatus.confirmed, .paid, .picked, .shipped] {
            _ = try await store.transition(orderID: id, to: status, stage: "test", note: "", at: Date())
        }
        return id
    }

    struct Portal {
        let server: LiveServer
        let token: String

        static func open(_ server: LiveServer) async throws -> Portal {
            let page = try await server.send("GET", "/returns")
            let token = try #require(LiveServer.cookie("oms_returns", in: page))
            #expect(LiveServer.hiddenCSRF(in: page.text) == token)
            return Portal(server: server, token: token)
        }

        func post(_ path: String, _ form: String, token given: String? = nil) async throws -> LiveServer.Reply {
            try await server.send("POST", path, headers: ["Cookie": "oms_returns=\(token)",
                                                          "Content-Type": "application/x-www-form-urlencoded"],
                                  body: Array("csrf=\(given ?? token)&\(form)".utf8))
        }
    }

    @Test("order number and email → shipped lines → order.return, with the return authorisation number")
    func returnFlow() async throws {
        let server = try await LiveServer.start()
        let tap = try await IntakeTap.bind(server.amqp, ["order.return"])
        let id = try await Self.shippedOrder(server)
        let portal = try await Portal.open(server)
        let lines = try await portal.post("/returns/lookup", "order_id=\(id)&email=ADA%40example.com")
        #expect(lines.status == 200)
        #expect(lines.text.contains("<td>MUG-BLUE (MUG-BLUE)</td><td>2</td>"))
        let done = try await portal.post("/returns/submit", "order_id=\(id)&email=ada%40example.com"
            + "&quantity.MUG-BLUE=1&condition.MUG-BLUE=damaged&reason=too+small")
        #expect(done.status == 200)
        #expect(done.text.contains("<strong id=\"authorization\">\(OrderReturn.authorization(for: id))</strong>"))
        let published = await tap.wait(for: 1, messageID: "return-\(id)")
        let body = try JSONSerialization.jsonObject(with: Data(try #require(published.first).body)) as? [String: Any]
        #expect(body?["order_id"] as? String == id)
        #expect(body?["reason"] as? String == "too small")
        #expect((body?["lines"] as? [[String: Any]])?.first?["condition"] as? String == "damaged")
        #expect((body?["lines"] as? [[String: Any]])?.first?["quantity"] as? Int == 1)
        await server.stop()
    }

    @Test("a wrong email gets the answer a wrong number gets; a form without its token is 403")
    func sameAnswer() async throws {
        let server = try await LiveServer.start()
        let id = try await Self.shippedOrder(server)
        let portal = try await Portal.open(server)
        let wrongEmail = try await portal.post("/returns/lookup", "order_id=\(id)&email=eve%40example.com")
        let wrongNumber = try await portal.post("/returns/lookup", "order_id=\(id)-x&email=ada%40example.com")
        #expect(wrongEmail.status == 404)
        #expect(wrongNumber.status == 404)
        #expect(wrongEmail.text.contains(ReturnsPortal.notFound))
        #expect(wrongNumber.text.contains(ReturnsPortal.notFound))
        let forged = try await portal.post("/returns/lookup", "order_id=\(id)&email=ada%40example.com", token: "forged")
        #expect(forged.status == 403)
        await server.stop()
    }

    @Test("lookups beyond the limit are refused with 429, even with the right email")
    func rateLimit() async throws {
        let server = try await LiveServer.start()
        let id = try await Self.shippedOrder(server)
        let portal = try await Portal.open(server)
        var statuses: [Int] = []
        for guess in 1...5 {
            statuses.append(try await portal.post("/returns/lookup", "order_id=\(id)&email=guess\(guess)%40example.com").status)
        }
        let right = try await portal.post("/returns/lookup", "order_id=\(id)&email=ada%40example.com")
        #expect(statuses == [Int](repeating: 404, count: 5))
        #expect(right.status == 429)
        await server.stop()
    }

    @Test("a token bucket allows its capacity at once, then one per refill")
    func tokenBucket() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(capacity: 3, refill: .seconds(10), now: start)
        let taken = [start, start, start, start + .seconds(5), start + .seconds(10), start + .seconds(11)]
            .map { bucket.take(now: $0) }
        #expect(taken == [true, true, true, false, true, false])
        #expect(!bucket.isFull(now: start + .seconds(20)))
        #expect(bucket.isFull(now: start + .seconds(40)))
    }
}
