import ArgumentParser
import Foundation
import OMSDomain
import OMSStore

/// `oms catalog [check]` and `oms catalog import FILE`.
struct Catalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Product titles, weights and customs data (oms:product:{SKU}).",
        discussion: """
            Capture fills an order's lines from the catalog where the channel sent less (title, weight, \
            HS code, origin), so packing slips, picklists, labels, customs declarations and emails show \
            titles, and parcels are weighed. Orders for a SKU without an entry still work and show the SKU.

            Examples:
              oms catalog import products.csv
              oms catalog              # SKUs in stock without a title
            """,
        subcommands: [Check.self, Import.self], defaultSubcommand: Check.self)

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the SKUs in stock that have no title.")

        @OptionGroup var servers: ServerOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run(servers) {
                let redis = try await servers.redis()
                let skus = try await StockRow.load(redis, skus: []).map(\.sku)
                let products = try await CatalogStore(redis: redis).products(skus: skus)
                await redis.close()
                let missing = skus.filter { products[$0] == nil }
                if json {
                    Output.json(["skus_in_stock": skus.count, "without_title": missing] as [String: Any])
                } else if missing.isEmpty {
                    print("every SKU in stock has a title (\(skus.count) SKUs)")
                } else {
                    print("\(missing.count) of \(skus.count) SKUs in stock have no title (oms catalog import):")
                    for sku in missing { print("  \(sku)") }
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read products from CSV (sku, title, weight_g, hs_code, origin, image_url) into the catalog.",
            discussion: """
                The first row names the columns; sku and title are required, the others optional. Every \
                row is checked first and each bad one reported by line and column; nothing is written \
                unless all are good. A SKU's entry is replaced whole.
                """)

        @OptionGroup var servers: ServerOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            try await CLI.run(servers) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError("cannot read \(file)")
                }
                let products = try Self.products(from: String(decoding: data, as: UTF8.self), source: file)
                let redis = try await servers.redis()
                try await CatalogStore(redis: redis).put(products)
                await redis.close()
                print("imported \(products.count) products from \(file)")
            }
        }

        static func products(from text: String, source: String) throws -> [Product] {
            var records = OrderCSV.parse(text)
            guard !records.isEmpty else { throw CLIError("\(source) is empty; the first row names the columns") }
            let header = records.removeFirst().fields.map { $0.trimmingCharacters(in: .whitespaces) }
            let unknown = header.filter { !Product.columns.contains($0) }
            guard unknown.isEmpty, header.contains("sku"), header.contains("title") else {
                throw CLIError("\(source): the columns must include sku and title, from \(Product.columns.joined(separator: ", "))"
                    + (unknown.isEmpty ? "" : "; unknown: \(unknown.joined(separator: ", "))"))
            }
            var products: [Product] = []
            var problems: [String] = []
            for record in records where !record.fields.allSatisfy(\.isEmpty) {
                let fields = Dictionary(zip(header, record.fields), uniquingKeysWith: { first, _ in first })
                switch Product.parse(fields) {
                case .success(let product): products.append(product)
                case .failure(let failure): problems += failure.issues.map { "\(source):\(record.line): \($0)" }
                }
            }
            guard problems.isEmpty else {
                for problem in problems { printError(problem) }
                throw CLIError("\(problems.count) problems in \(source); nothing imported")
            }
            return products
        }
    }
}
