@testable import OMSHTTP
import OMSStore
import Testing

@Suite("order list paging")
struct OrderPageTests {
    let orders = (1...5).map { number in
        OrderSummary(id: "o\(number)", status: "received", channel: "web", updated: "2026-11-2\(6 - number)T10:00:00Z",
                     reason: "")
    }

    @Test("pages follow one another without gaps or repeats")
    func pages() throws {
        let first = try #require(OrderPage.slice(orders, after: nil, limit: 2))
        #expect(first.orders.map(\.id) == ["o1", "o2"])
        let second = try #require(OrderPage.slice(orders, after: first.nextCursor, limit: 2))
        #expect(second.orders.map(\.id) == ["o3", "o4"])
        let third = try #require(OrderPage.slice(orders, after: second.nextCursor, limit: 2))
        #expect(third.orders.map(\.id) == ["o5"])
        #expect(third.nextCursor == nil)
    }

    @Test("an order that arrives between pages does not shift the next one")
    func arrivals() throws {
        let first = try #require(OrderPage.slice(orders, after: nil, limit: 2))
        let newer = OrderSummary(id: "o0", status: "received", channel: "web", updated: "2026-11-30T10:00:00Z", reason: "")
        let second = try #require(OrderPage.slice([newer] + orders, after: first.nextCursor, limit: 2))
        #expect(second.orders.map(\.id) == ["o3", "o4"])
    }

    @Test("a cursor this server did not write is refused")
    func foreignCursor() {
        #expect(OrderPage.slice(orders, after: "%%", limit: 2) == nil)
        #expect(OrderPage.slice(orders, after: "bm8tbmV3bGluZQ", limit: 2) == nil)
    }
}

@Suite("secrets")
struct SecretTests {
    @Test("constant-time comparison tells equal from different, prefixes and lengths included")
    func constantTime() {
        #expect(ConstantTime.equal(Array("key-1".utf8), Array("key-1".utf8)))
        #expect(!ConstantTime.equal(Array("key-2".utf8), Array("key-1".utf8)))
        #expect(!ConstantTime.equal(Array("key".utf8), Array("key-1".utf8)))
        #expect(!ConstantTime.equal(Array("key-10".utf8), Array("key-1".utf8)))
        #expect(!ConstantTime.equal([UInt8](), [UInt8]()))
    }

    @Test("any configured API key opens the API; blanks in OMS_API_KEYS are dropped")
    func apiKeys() {
        let keys = ServeConfiguration.apiKeys(from: " a1, ,b2,")
        #expect(keys == ["a1", "b2"])
        let accepted = APIKeys(keys)
        #expect(accepted.accepts("Bearer b2"))
        #expect(!accepted.accepts("Bearer "))
        #expect(!accepted.accepts("Basic b2"))
        #expect(!accepted.accepts(nil))
    }
}
