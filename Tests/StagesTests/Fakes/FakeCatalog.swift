import OMSDomain
import OMSStore

struct FakeCatalog: ProductCatalog {
    var entries: [String: Product] = [:]

    func products(skus: [String]) async throws -> [String: Product] {
        entries.filter { skus.contains($0.key) }
    }
}
