import OMSContract
import OMSDomain
import RedisClient

/// The catalog in Redis: one hash per SKU, `oms:product:{SKU}` (DESIGN.md),
/// with `title`, `weight_g`, `hs_code`, `origin` and `image_url`.
public struct CatalogStore: Sendable {
    private let redis: any Redis

    public init(redis: any Redis) {
        self.redis = redis
    }

    /// Writes the products, each replacing what was stored for its SKU, in one pipeline.
    public func put(_ products: [Product]) async throws {
        var commands: [RedisCommand] = []
        for product in products {
            let key = RedisKeys.product(product.sku)
            var fields: [String] = ["title", product.title]
            var absent: [String] = []
            for (field, value) in [("weight_g", product.weightGrams.map(String.init)), ("hs_code", product.hsCode),
                                   ("origin", product.origin), ("image_url", product.imageURL)] {
                if let value { fields += [field, value] } else { absent.append(field) }
            }
            commands.append(RedisCommand("HSET", arguments: [key] + fields))
            if !absent.isEmpty { commands.append(RedisCommand("HDEL", arguments: [key] + absent)) }
        }
        for reply in try await redis.pipeline(commands) { _ = try reply.checked("store product") }
    }

    /// The catalog entries of these SKUs, in one pipeline; SKUs without one are left out.
    public func products(skus: [String]) async throws -> [String: Product] {
        let unique = Array(Set(skus)).sorted()
        guard !unique.isEmpty else { return [:] }
        let replies = try await redis.pipeline(unique.map { RedisCommand("HGETALL", RedisKeys.product($0)) })
        var products: [String: Product] = [:]
        for (sku, reply) in zip(unique, replies) {
            var fields: [String: String] = [:]
            for (field, value) in try reply.fieldValues("product") {
                fields[field] = String(decoding: value.bytes ?? [], as: UTF8.self)
            }
            guard let title = fields["title"] else { continue }
            products[sku] = Product(sku: sku, title: title, weightGrams: fields["weight_g"].flatMap { Int($0) },
                                    hsCode: fields["hs_code"], origin: fields["origin"], imageURL: fields["image_url"])
        }
        return products
    }
}
