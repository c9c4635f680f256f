import Documents
import Foundation
import Logging
import OMSStore
import ServiceLifecycle
import WorkerRuntime

/// For every warehouse location: closes picklists whose window has passed and writes each closed one out
/// once, as CSV and PDF: lines grouped by SKU, sorted by bin location for the
/// walk. Every pick copy runs one; closing is atomic, and a picklist written
/// twice (two copies, or a crash before it was marked) is the same file.
///
/// A service of the worker's group: on SIGTERM it stops after the worker has
/// finished its messages, writing what closed before it goes.
public struct PicklistWriter: Service {
    let picklists: @Sendable (String) -> any PicklistBook
    let inventory: any StockLedger
    let settings: PickSettings
    let logger: Logger

    public init(picklists: @escaping @Sendable (String) -> any PicklistBook, inventory: any StockLedger,
                settings: PickSettings, logger: Logger) {
        self.picklists = picklists
        self.inventory = inventory
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        repeat {
            await writeDue()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.window / 2) }
        } while !Task.isShuttingDownGracefully && !Task.isCancelled
        await writeDue()
    }

    /// Closes what is due at every location and writes each closed picklist not yet written.
    func writeDue() async {
        do {
            for location in settings.routing.locations.keys.sorted() {
                let store = picklists(location)
                try await store.closeIfDue(at: Date(), window: settings.window)
                for id in try await store.unwritten() { try await write(id, store) }
            }
        } catch {
            logger.warning("picklists not written yet", metadata: ["error": "\(error)"])
        }
    }

    private func write(_ id: String, _ store: any PicklistBook) async throws {
        let picklist = try await build(id, store)
        let folder = settings.directory + "/picklists"
        try DocumentFiles.write(picklist.csv(), folder: folder, name: "\(id).csv")
        try DocumentFiles.write(picklist.pdf(), folder: folder, name: "\(id).pdf")
        try await store.markWritten(id)
        logger.info("picklist written", metadata: ["picklist": "\(id)", "orders": "\(picklist.orderCount)"])
    }

    private func build(_ id: String, _ store: any PicklistBook) async throws -> Picklist {
        var bySKU: [String: [Picklist.OrderQuantity]] = [:]
        for assignment in try await store.assignments(on: id) {
            for line in assignment.lines {
                bySKU[line.sku, default: []].append(.init(orderID: assignment.orderID, quantity: line.quantity))
            }
        }
        let locations = try await inventory.locations(of: Array(bySKU.keys))
        var entries = bySKU.map { sku, orders in
            Picklist.Entry(sku: sku, location: locations[sku], quantity: orders.map(\.quantity).reduce(0, +),
                           orders: orders)
        }
        entries.sort { ($0.location ?? "~", $0.sku) < ($1.location ?? "~", $1.sku) }
        return Picklist(id: id, createdAt: Date(), entries: entries)
    }
}
