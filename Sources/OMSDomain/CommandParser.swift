/// The small intake commands, validated like orders.
enum CommandParser {
    static func cancel(_ json: JSONValue) -> Result<OrderCancel, ValidationFailure> {
        parse(json) { reader in
            guard let fields = reader.object(json, at: "", allowed: ["order_id", "reason"]) else { return nil }
            let orderID = reader.string(fields["order_id"], at: "order_id", rule: .orderID)
            let reason = reader.string(fields["reason"], at: "reason", rule: .text(maxLength: 500), required: false)
            return orderID.map { OrderCancel(orderID: $0, reason: reason) }
        }
    }

    static func returnRequest(_ json: JSONValue) -> Result<OrderReturn, ValidationFailure> {
        parse(json) { reader in
            guard let fields = reader.object(json, at: "", allowed: ["order_id", "reason", "lines"]) else { return nil }
            let orderID = reader.string(fields["order_id"], at: "order_id", rule: .orderID)
            let reason = reader.string(fields["reason"], at: "reason", rule: .text(maxLength: 500), required: false)
            let items = reader.array(fields["lines"], at: "lines", count: 1...100) ?? []
            let lines = items.enumerated().compactMap { index, item in returnLine(item, at: "lines[\(index)]", &reader) }
            guard let orderID, !lines.isEmpty, lines.count == items.count else { return nil }
            return OrderReturn(orderID: orderID, reason: reason, lines: lines)
        }
    }

    private static func returnLine(_ value: JSONValue, at path: String,
                                   _ reader: inout FieldReader) -> OrderReturn.Line? {
        guard let fields = reader.object(value, at: path, allowed: ["sku", "quantity", "condition"]) else { return nil }
        let sku = reader.string(fields["sku"], at: "\(path).sku", rule: .sku)
        let quantity = reader.integer(fields["quantity"], at: "\(path).quantity", range: Limits.quantity,
                                      meaning: "a positive integer")
        let condition = reader.oneOf(fields["condition"], at: "\(path).condition", OrderReturn.Line.Condition.self)
        guard let sku, let quantity, let condition else { return nil }
        return OrderReturn.Line(sku: sku, quantity: Int(quantity), condition: condition)
    }

    static func delivered(_ json: JSONValue) -> Result<ShipmentDelivered, ValidationFailure> {
        parse(json) { reader in
            guard let fields = reader.object(json, at: "", allowed: ["order_id", "tracking_number", "delivered_at"])
            else { return nil }
            let orderID = reader.string(fields["order_id"], at: "order_id", rule: .orderID)
            let tracking = reader.string(fields["tracking_number"], at: "tracking_number", rule: .trackingNumber)
            let deliveredAt = reader.timestamp(fields["delivered_at"], at: "delivered_at")
            guard let orderID, let tracking, deliveredAt != nil,
                  case .string(let text)? = fields["delivered_at"] else { return nil }
            return ShipmentDelivered(orderID: orderID, trackingNumber: tracking, deliveredAt: text)
        }
    }

    static func restocked(_ json: JSONValue) -> Result<StockRestocked, ValidationFailure> {
        parse(json) { reader in
            guard let fields = reader.object(json, at: "", allowed: ["sku", "quantity", "restock_id", "location"]) else {
                return nil
            }
            let sku = reader.string(fields["sku"], at: "sku", rule: .sku)
            let quantity = reader.integer(fields["quantity"], at: "quantity", range: Limits.quantity,
                                          meaning: "a positive integer")
            let restockID = reader.string(fields["restock_id"], at: "restock_id", rule: .restockID, required: false)
            let location = reader.string(fields["location"], at: "location", rule: .location, required: false)
            guard let sku, let quantity else { return nil }
            return StockRestocked(sku: sku, quantity: Int(quantity), restockID: restockID, location: location)
        }
    }

    private static func parse<T>(_ json: JSONValue,
                                 _ read: (inout FieldReader) -> T?) -> Result<T, ValidationFailure> {
        var reader = FieldReader()
        let value = read(&reader)
        guard reader.issues.isEmpty, let value else { return .failure(ValidationFailure(issues: reader.issues)) }
        return .success(value)
    }
}
