import OMSDomain

/// The catalog as capture reads it, so capture's decisions can run against
/// an in-memory fake.
public protocol ProductCatalog: Sendable {
    /// The catalog entries of these SKUs; SKUs without one are left out.
    func products(skus: [String]) async throws -> [String: Product]
}

extension CatalogStore: ProductCatalog {}
