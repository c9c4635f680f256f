import Foundation
import OMSDomain
import RedisClient
import Testing

/// `oms demo` end to end at a small size, in a vhost and cluster directory
/// of the test's own: every order ends in a status where it waits for
/// nobody, and the summary's counts are Redis's.
@Suite struct CLIDemoTests {
    @Test func aSmallPeakSettlesAndTheSummaryMatchesRedis() async throws {
        let pipeline = try await PipelineHarness.start("demo")
        let clusterDirectory = pipeline.logDirectory + "/cluster"
        let prefix = "T\(UUID().uuidString.prefix(6))-"
        let result = try await OMSCLI.run(
            ["demo", "--orders", "300", "--rate", "300", "--seed", "7", "--sku-prefix", prefix, "--json",
             "--stop-cluster", "--dir", clusterDirectory],
            environment: pipeline.cliEnvironment.merging([
                "OMS_DOCUMENTS_DIR": pipeline.logDirectory + "/documents", "OMS_SHUTDOWN_GRACE": "5",
            ]) { _, new in new })
        #expect(result.status == 0, "\(result)")
        #expect(!result.stderr.contains("nothing has moved"), "the peak stalled: \(result.stderr)")
        let lastLine = try #require(result.stdout.split(separator: "\n").last)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any])
        let run = try #require(summary["run"] as? String)
        let reported = try #require(summary["statuses"] as? [String: Int])
        #expect(summary["orders"] as? Int == 300)
        #expect(summary["stored"] as? Int == 300)

        var inRedis: [String: Int] = [:]
        for number in 1...300 {
            let suffix = "\(run)-\(String(format: "%05d", number))"
            let replies = try await pipeline.redis.pipeline(["web", "amazon", "ebay"].map {
                RedisCommand("HGET", "oms:order:{\($0)-\(suffix)}", "status")
            })
            let statuses = replies.compactMap(\.string)
            #expect(statuses.count == 1, "order \(suffix) stored \(statuses.count) times")
            if let status = statuses.first { inRedis[status, default: 0] += 1 }
        }
        #expect(inRedis == reported)
        let settled: Set<String> = ["shipped", "delivered", "refunded", "cancelled", "rejected", "backordered"]
        #expect(Set(inRedis.keys).isSubset(of: settled), "orders still in flight: \(inRedis)")
        #expect(inRedis["delivered", default: 0] > 0 && inRedis["refunded", default: 0] > 0, "\(inRedis)")
        #expect(inRedis["cancelled", default: 0] > 0, "no declined card or cancel in the mix: \(inRedis)")
        let shippedFrom = try #require(summary["shipped_from"] as? [String: Int])
        #expect(Set(shippedFrom.keys) == ["LON-1", "BER-1"] && shippedFrom.values.allSatisfy { $0 > 0 },
                "orders to Germany ship from Berlin, the rest from London: \(shippedFrom)")
        // Posters are kept in Berlin only: a London order with one and anything else ships in two parcels.
        let parcelCounts = try #require(summary["parcels_per_order"] as? [String: Int])
        #expect(parcelCounts["1", default: 0] > 0 && parcelCounts["2", default: 0] > 0, "\(parcelCounts)")
        let shippedOrders = ["shipped", "delivered", "refunded"].reduce(0) { $0 + inRedis[$1, default: 0] }
        #expect(parcelCounts.values.reduce(0, +) == shippedOrders, "every shipped order counted once: \(parcelCounts)")
        let split = try #require((summary["split_orders"] as? [[String: Any]])?.first)
        let splitID = try #require(split["order_id"] as? String)
        let parcels = try #require(split["parcels"] as? [[String: Any]])
        #expect(parcels.compactMap { $0["location"] as? String } == ["LON-1", "BER-1"], "\(split)")
        let trackingNumbers = parcels.compactMap { $0["tracking_number"] as? String }
        #expect(try await pipeline.redis.send(RedisCommand("HGET", "oms:order:{\(splitID)}", "tracking_numbers")).string
                == trackingNumbers.joined(separator: ","))
        #expect(summary["held_and_released"] as? Int ?? 0 > 0, "the demo holds and releases an order: \(summary)")

        let dead = try await pipeline.amqp.inspect(queue: "oms.dead")
        #expect(dead.messages == 0, "the demo dead-lettered messages")
        let notify = try await pipeline.amqp.inspect(queue: "oms.notify")
        #expect(notify.messages == 0)
        #expect(!FileManager.default.fileExists(atPath: clusterDirectory + "/state.json"), "cluster left running")
        await pipeline.stop([])
    }
}
