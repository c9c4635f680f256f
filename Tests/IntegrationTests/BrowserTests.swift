import OMSDomain
import Testing

/// The dashboard and the returns portal in a real browser: headless chromium,
/// driven by Tests/Browser/dashboard_scenario.py with selenium, against `oms
/// serve` and the workers on a RabbitMQ vhost of the test's own. The script's
/// exit code is its verdict; then the test reads what the scenario left in
/// Redis and RabbitMQ.
///
/// `make test` installs chromium, chromium-driver and selenium. Without the
/// browser this test is skipped on a developer's machine, and fails under
/// CI=true saying how to install it.
@Suite("Browser: dashboard and returns portal", .serialized)
struct BrowserTests {
    @Test("a webhook order appears live, its timeline opens, a dead letter is replayed, a return ends refunded",
          .enabled(if: BrowserScenario.canRun, BrowserScenario.missing))
    func dashboardScenario() async throws {
        let pipeline = try await PipelineHarness.start("browser", redisURL: BrowserScenario.redisURL)
        let scenario = try await BrowserScenario.prepare(pipeline)
        let server = try await ServeProcess.start(pipeline, documents: scenario.documents)
        let workers = try FulfilmentTests.startStages(pipeline, documents: scenario.documents,
                                                      environment: ["OMS_ROUTING_RULES": scenario.routingRules])
        do {
            try await Self.expectPassed(scenario, on: server)
        } catch {
            await server.stop()
            await pipeline.stop(workers)
            throw error
        }
        await server.stop()
        await pipeline.stop(workers)
    }

    private static func expectPassed(_ scenario: BrowserScenario, on server: ServeProcess) async throws {
        let verdict = try await scenario.run(against: server)
        #expect(verdict.contains("scenario passed for \(scenario.orderID)"), "\(verdict)")
        let history = try await scenario.pipeline.orders.history(orderID: scenario.orderID).filter(\.isTransition)
        #expect(history.map(\.to).suffix(4) == [.shipped, .returnRequested, .returned, .refunded],
                "\(scenario.orderID): \(history.map(\.to))")
        #expect(try await scenario.deliveriesOfDeadLetter() == 2, "published once, then replayed once")
    }
}
