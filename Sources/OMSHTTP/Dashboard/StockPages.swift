import Foundation
import Hummingbird
import OMSDomain
import OMSStore

/// `/stock`: every SKU with low stock marked; set a SKU's counters (as
/// `oms stock set`) or add stock (a `stock.restocked`, as `oms stock add`).
struct StockPages: Sendable {
    let backends: Backends
    let pages: Pages
    let access: StaffAccess
    let maximumBodyBytes: Int

    func register(on router: Router<ServeRequestContext>) {
        router.get("stock") { request, _ in
            try await access.page(request) { session in
                try await page(session: session, flash: request.uri.queryParameters.get("done"))
            }
        }
        router.post("stock/set") { request, _ in
            try await access.form(request, limit: maximumBodyBytes) { fields, session in
                try await set(fields, session: session)
            }
        }
        router.post("stock/add") { request, _ in
            try await access.form(request, limit: maximumBodyBytes) { fields, session in
                try await add(fields, session: session)
            }
        }
    }

    func page(session: String, flash: String? = nil, error: String? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        var context = Dashboard.context("Stock", session: session, access: access)
        let skus = KeyScan.tags(try await KeyScan.keys(backends.redis, match: "oms:stock:{*}"), prefix: "oms:stock:")
        var rows: [[String: Any]] = []
        for sku in skus {
            guard let levels = try await backends.inventory.levels(sku: sku) else { continue }
            let stock = StockView(sku: sku, levels: levels)
            rows.append(["sku": sku, "available": stock.available, "reserved": stock.reserved,
                         "location": stock.location ?? "-", "reorderPoint": stock.reorderPoint.map(String.init) ?? "-",
                         "low": stock.low])
        }
        context["rows"] = rows
        context["flash"] = flash
        context["error"] = error
        return pages.render("stock", context, status: status)
    }

    private func set(_ fields: FormFields, session: String) async throws -> Response {
        guard let sku = fields["sku"], let available = fields["available"].flatMap(Int.init), available >= 0 else {
            return try await page(session: session, error: "Give a SKU and a whole number available.",
                                  status: .unprocessableContent)
        }
        let reorderPoint = fields["reorder_point"].flatMap(Int.init)
        do {
            try await backends.inventory.set(sku: sku, available: available, bin: fields["location"],
                                             reorderPoint: reorderPoint)
        } catch let error as StoreError where error.kind == .invalidArgument {
            return try await page(session: session, error: error.description, status: .unprocessableContent)
        }
        return redirect(done: "\(sku) set to \(available) available.")
    }

    private func add(_ fields: FormFields, session: String) async throws -> Response {
        let restock = StockRestocked(sku: fields["sku"] ?? "", quantity: fields["quantity"].flatMap(Int.init) ?? 0,
                                     restockID: "dashboard-\(UUID().uuidString.lowercased())")
        do {
            _ = try IntakeCheck.decode(.stockRestocked, restock.encoded())
        } catch {
            let problems = error.problems.map { "\($0.path) \($0.reason)" }.joined(separator: "; ")
            return try await page(session: session, error: problems.isEmpty ? error.message : problems,
                                  status: .unprocessableContent)
        }
        try await backends.intake.publish(.stockRestocked, body: restock.encoded(), messageID: restock.restockID)
        return redirect(done: "\(restock.sku) +\(restock.quantity) sent to capture (stock.restocked).")
    }

    private func redirect(done message: String) -> Response {
        var components = URLComponents()
        components.path = "/stock"
        components.queryItems = [URLQueryItem(name: "done", value: message)]
        return .redirect(to: components.string ?? "/stock")
    }
}
