import Foundation
import OMSContract
import OMSDomain
import Testing
import WorkerRuntime
#if canImport(Glibc)
import Glibc
#endif

@Suite("Guarantee: SIGTERM finishes what is in flight")
struct ShutdownTests {
    @Test("payment SIGTERMed with slow charges half done: it finishes them, exits, and leaves the rest queued for the next copy; no call is made twice")
    func finishesInFlight() async throws {
        let pipeline = try await PipelineHarness.start("sigterm")
        let sku = TestOrders.sku("TERM")
        try await pipeline.inventory.set(sku: sku, available: 100)
        let ids = (0..<40).map { "term-\(pipeline.vhost.suffix(8))-\($0)" }
        let capture = try pipeline.startWorker(.capture)
        for id in ids {
            try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)]))
        }
        #expect(try await pipeline.wait {
            try await pipeline.statuses(ids).values.filter { $0 == .confirmed }.count == ids.count
        })
        // Authorise, then capture, at 1 s each: SIGTERM once the first
        // authorisations are counted, when ten orders are between the two calls.
        let slow = ["OMS_GATEWAY_LATENCY_MS": "1000", "OMS_PREFETCH": "10"]
        let payment = try pipeline.startWorker(.payment, environment: slow)
        let ledger = SandboxLedger(pipeline.redis)
        let authorizations = ids.map { "\($0):authorize" }
        #expect(try await pipeline.wait(every: .milliseconds(20)) { try await ledger.calls(authorizations) > 0 })
        kill(payment.pid, SIGTERM)
        #expect(await payment.waitForExit(timeout: .seconds(10)), "exits within its 5 s grace")

        let statuses = try await pipeline.statuses(ids)
        let paid = ids.filter { statuses[$0] == .paid }
        let calls = try await ids.asyncMap { try await ledger.calls("\($0):authorize") }
        let started = zip(ids, calls).filter { $0.1 > 0 }.map(\.0)
        #expect(!paid.isEmpty && paid.count < ids.count, "the messages in flight were paid, not all: \(paid.count)")
        #expect(Set(started) == Set(paid), "every charge begun before SIGTERM was finished, none begun after")
        #expect(payment.log.contains("stopped consuming; in-flight messages finished"))
        #expect(try await pipeline.amqp.inspect(queue: Stage.payment.queue).messages == ids.count - paid.count,
                "the rest went back to the queue")

        let next = try pipeline.startWorker(.payment, environment: ["OMS_GATEWAY_LATENCY_MS": "5"])
        #expect(try await pipeline.wait {
            try await pipeline.statuses(ids).values.filter { $0 == .paid }.count == ids.count
        })
        #expect(try await ledger.calls(authorizations) == ids.count, "one authorisation per order, none repeated")
        await pipeline.stop([capture, next])
    }
}
