import Foundation
import Hummingbird
import OMSDomain
import OMSStore
import RedisClient

/// `/api/v1`: place, read, list and cancel orders, read stock (openapi.yaml).
struct OrdersAPI: Sendable {
    let backends: Backends
    let maximumBodyBytes: Int

    func register(on router: Router<ServeRequestContext>, keys: [String]) {
        let api = router.group("api/v1").add(middleware: APIKeyAuthentication(keys: APIKeys(keys)))
        api.post("orders", use: place)
        api.get("orders", use: list)
        api.get("orders/:id", use: show)
        api.post("orders/:id/cancel", use: cancel)
        api.get("stock/:sku", use: stock)
    }

    @Sendable func place(_ request: Request, context: ServeRequestContext) async throws -> Response {
        let body = try await request.bodyBytes(upTo: maximumBodyBytes)
        let order = try IntakeCheck.order(body)
        do {
            try await backends.intake.publish(.orderPlace, body: body, messageID: order.id)
        } catch {
            throw APIError.unavailable(error)
        }
        return JSONBody.response(Accepted(orderID: order.id, status: "accepted"), status: .accepted)
    }

    @Sendable func show(_ request: Request, context: ServeRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let view = try await OrderView.load(id, from: backends.orders) else { throw APIError.notFound("order \(id)") }
        return JSONBody.response(view)
    }

    private struct Listing: Encodable {
        var orders: [Row]
        var nextCursor: String?

        struct Row: Encodable {
            var id: String
            var status: String
            var channel: String
            var updatedAt: String

            enum CodingKeys: String, CodingKey {
                case id, status, channel
                case updatedAt = "updated_at"
            }
        }

        enum CodingKeys: String, CodingKey {
            case orders
            case nextCursor = "next_cursor"
        }
    }

    @Sendable func list(_ request: Request, context: ServeRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let status = query.get("status")
        if let status, OrderStatus(rawValue: status) == nil {
            throw APIError(status: .badRequest, message: "unknown status '\(status)'; statuses are "
                + OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let limit = query.get("limit").map { Int($0) ?? 0 } ?? 50
        guard (1...OrderPage.maximumLimit).contains(limit) else {
            throw APIError(status: .badRequest, message: "limit must be 1 to \(OrderPage.maximumLimit)")
        }
        let all = try await OrderSummary.scan(backends.redis, status: status, channel: query.get("channel"))
        guard let page = OrderPage.slice(all, after: query.get("cursor"), limit: limit) else {
            throw APIError(status: .badRequest, message: "cursor is not one this API gave out")
        }
        return JSONBody.response(Listing(
            orders: page.orders.map { .init(id: $0.id, status: $0.status, channel: $0.channel, updatedAt: $0.updated) },
            nextCursor: page.nextCursor))
    }

    @Sendable func cancel(_ request: Request, context: ServeRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body = try await request.bodyBytes(upTo: maximumBodyBytes)
        let given = body.isEmpty ? nil : (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        if !body.isEmpty, given == nil { throw APIError(status: .badRequest, message: "body is not a JSON object") }
        let reason = given?["reason"] as? String ?? "cancelled through the API"
        guard try await backends.orders.status(orderID: id) != nil else { throw APIError.notFound("order \(id)") }
        let command = Intake.cancelBody(orderID: id, reason: reason)
        _ = try IntakeCheck.decode(.orderCancel, command)
        do {
            try await backends.intake.publish(.orderCancel, body: command)
        } catch {
            throw APIError.unavailable(error)
        }
        return JSONBody.response(Accepted(orderID: id, status: "cancel requested"), status: .accepted)
    }

    @Sendable func stock(_ request: Request, context: ServeRequestContext) async throws -> Response {
        let sku = try context.parameters.require("sku")
        guard let levels = try await backends.inventory.levels(sku: sku) else { throw APIError.notFound("SKU \(sku)") }
        return JSONBody.response(StockView(sku: sku, levels: levels))
    }
}

/// One SKU's counters, as the API answers and the dashboard lists them.
struct StockView: Encodable, Sendable {
    var sku: String
    var available: Int
    var reserved: Int
    /// The bin.
    var location: String?
    var reorderPoint: Int?
    /// At or below its reorder point.
    var low: Bool
    /// Location → its counters, for a SKU stocked per location.
    var locations: [String: Counters]?

    struct Counters: Encodable, Sendable {
        var available: Int
        var reserved: Int
    }

    init(sku: String, levels: StockLevels) {
        self.sku = sku
        available = levels.available
        reserved = levels.reserved
        location = levels.bin
        reorderPoint = levels.reorderPoint
        low = levels.reorderPoint.map { levels.available <= $0 } ?? false
        locations = levels.locations.isEmpty ? nil : levels.locations.mapValues {
            Counters(available: $0.available, reserved: $0.reserved)
        }
    }

    enum CodingKeys: String, CodingKey {
        case sku, available, reserved, location, low, locations
        case reorderPoint = "reorder_point"
    }
}
