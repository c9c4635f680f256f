import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import Testing

@Suite("Catalog: titles, weights and customs data from oms catalog import", .serialized)
struct CatalogTests {
    @Test("import stores each product; a bad file is reported by line and column and writes nothing; check lists SKUs without a title")
    func importAndCheck() async throws {
        let pipeline = try await PipelineHarness.start("catalog-import")
        defer { Task { await pipeline.stop([]) } }
        let (titled, untitled) = (TestOrders.sku("CAT"), TestOrders.sku("NOTITLE"))
        try await pipeline.inventory.set(sku: titled, available: 5)
        try await pipeline.inventory.set(sku: untitled, available: 5)
        let good = try OMSCLI.file("products.csv", """
            sku,title,weight_g,hs_code,origin,image_url
            \(titled),"Blue mug, 350 ml",400,691200,GB,https://shop.example/mug.jpg
            """)
        let imported = try await pipeline.oms("catalog", "import", good)
        #expect(imported.status == 0 && imported.stdout.contains("imported 1 products"), "\(imported)")
        let stored = try await CatalogStore(redis: pipeline.redis).products(skus: [titled, untitled])
        #expect(stored == [titled: Product(sku: titled, title: "Blue mug, 350 ml", weightGrams: 400, hsCode: "691200",
                                           origin: "GB", imageURL: "https://shop.example/mug.jpg")])

        let bad = try OMSCLI.file("bad.csv", "sku,title,weight_g\n\(untitled),Tea,heavy\n")
        let refused = try await pipeline.oms("catalog", "import", bad)
        #expect(refused.status != 0, "\(refused)")
        #expect(refused.stderr.contains("bad.csv:2: weight_g must be a whole number of grams"), "\(refused)")
        #expect(try await CatalogStore(redis: pipeline.redis).products(skus: [untitled]).isEmpty)

        let check = try #require(try await pipeline.oms("catalog", "--json").json() as? [String: Any])
        let missing = check["without_title"] as? [String] ?? []
        #expect(missing.contains(untitled) && !missing.contains(titled), "\(check)")
    }

    @Test("an order without HS codes ships abroad with the catalog's, its lines titled; an unknown SKU still works; a redelivery after a catalog change is a duplicate")
    func ordersCompletedFromCatalog() async throws {
        let pipeline = try await PipelineHarness.start("catalog-orders")
        let documents = FulfilmentTests.documentsFolder()
        let (known, unknown) = (TestOrders.sku("CATMUG"), TestOrders.sku("CATNONE"))
        try await pipeline.inventory.set(sku: known, available: 10)
        try await pipeline.inventory.set(sku: unknown, available: 10)
        try await CatalogStore(redis: pipeline.redis).put([
            Product(sku: known, title: "Blue mug", weightGrams: 400, hsCode: "691200", origin: "GB"),
        ])
        let workers = try FulfilmentTests.startStages(pipeline, documents: documents)
        let abroad = "cat-\(pipeline.vhost.suffix(8))"
        let plain = "catnone-\(pipeline.vhost.suffix(8))"
        let order = TestOrders.place(id: abroad, lines: [(known, 1)], country: "US")
        try await pipeline.publish("order.place", json: order)
        try await pipeline.publish("order.place", json: TestOrders.place(id: plain, lines: [(unknown, 1)]))
        #expect(try await pipeline.wait {
            try await pipeline.statuses([abroad, plain]).values.filter { $0 == .shipped }.count == 2
        }, "logs in \(pipeline.logDirectory)")
        let stored = try OrderCoding.decode(try #require(try await pipeline.orders.document(orderID: abroad)))
        #expect(stored.lines[0].name == "Blue mug" && stored.lines[0].hsCode == "691200")
        let label = String(decoding: try #require(FileManager.default.contents(atPath: "\(documents)/labels/\(abroad).pdf")),
                           as: UTF8.self)
        #expect(label.contains("CN 22") && label.contains("691200") && label.contains("Blue mug"))
        let slip = String(decoding: try #require(FileManager.default.contents(atPath: "\(documents)/packing-slips/\(abroad).pdf")),
                          as: UTF8.self)
        #expect(slip.contains("Blue mug"))
        let plainOrder = try OrderCoding.decode(try #require(try await pipeline.orders.document(orderID: plain)))
        #expect(plainOrder.lines[0].name == nil)

        try await CatalogStore(redis: pipeline.redis).put([Product(sku: known, title: "Blue mug, renamed")])
        try await pipeline.publish("order.place", json: order)
        try await Task.sleep(for: .seconds(1))
        #expect(try await pipeline.amqp.inspect(queue: Topology.dead).messages == 0, "not a conflict")
        await pipeline.stop(workers)
    }
}
