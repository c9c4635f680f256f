import Foundation
import OMSContract
import OMSDomain
import Testing

/// The contract's names against `../shared/DESIGN.md` beside the checkout, so
/// that a name that differs from the public contract fails here, not in a
/// user's queue binding.
@Suite("DESIGN.md names")
struct DesignNamesTests {
    static let design: String = {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = checkout.deletingLastPathComponent().appendingPathComponent("shared/DESIGN.md").path
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    /// Every `code` span of the text, in order.
    static func codeSpans(_ text: some StringProtocol) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    static func section(_ heading: String) -> Substring {
        guard let start = design.range(of: "## \(heading)") else { return "" }
        let rest = design[start.upperBound...]
        return rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)]
    }

    static let exchanges = [Topology.intake, Topology.work, Topology.events, Topology.dead]

    @Test("DESIGN.md is beside the checkout")
    func designIsReadable() {
        #expect(Self.design.contains("## RabbitMQ topology"))
    }

    @Test("every oms.* name DESIGN.md gives is an exchange or a stage queue of the contract, and each of those is in it")
    func exchangesAndQueues() {
        let topology = Self.section("RabbitMQ topology")
        let named = Set(Self.codeSpans(topology).filter { $0.hasPrefix("oms.") })
        let contract = Set(Self.exchanges + Stage.allCases.map(\.queue))
        #expect(named == contract)
    }

    @Test("oms.intake's routing keys are the contract's intake keys, each routed to a stage")
    func intakeRoutingKeys() throws {
        let topology = Self.section("RabbitMQ topology")
        let line = try #require(topology.components(separatedBy: "\n- ").first { $0.hasPrefix("`oms.intake` —") })
        let keys = Set(Self.codeSpans(line).filter { $0 != Topology.intake })
        #expect(keys == Set(IntakeMessage.RoutingKey.allCases.map(\.rawValue)))
        #expect(Set(Topology.intakeRoutes.map(\.routingKey)) == Set(IntakeMessage.RoutingKey.allCases))
    }

    @Test("the hand-off bindings DESIGN.md draws (`oms.payment` ← `order.confirmed` …) are the contract's")
    func handoffBindings() {
        let spans = Self.codeSpans(Self.section("RabbitMQ topology"))
        let text = Self.section("RabbitMQ topology")
        let drawn = Set(zip(spans, spans.dropFirst()).filter { queue, key in
            queue.hasPrefix("oms.") && key.hasPrefix("order.") && text.contains("`\(queue)` ← `\(key)`")
        }.map { "\($0.0) ← \($0.1)" })
        let contract = Set(Topology.eventRoutes.filter { $0.stage != .notify }.map { "\($0.stage.queue) ← \($0.routingKey)" })
        #expect(drawn == contract)
        #expect(drawn.count == 3)
    }

    @Test("the dead-letter headers DESIGN.md names are the contract's")
    func deadLetterHeaders() {
        let named = Set(Self.codeSpans(Self.section("RabbitMQ topology")).filter { $0.hasPrefix("x-oms-") })
        #expect(named == [Headers.stage, Headers.error, Headers.attempts])
    }

    @Test("every Redis key DESIGN.md lays out is the contract's, with its hash tag")
    func redisKeys() {
        let named = Set(Self.codeSpans(Self.section("Redis layout")).filter { $0.hasPrefix("oms:") })
        let contract: Set<String> = [RedisKeys.stock("SKU"), RedisKeys.product("SKU"), RedisKeys.order("ID"),
                                     RedisKeys.holds("SKU"), RedisKeys.history("ID")]
        #expect(named == contract)
    }
}
