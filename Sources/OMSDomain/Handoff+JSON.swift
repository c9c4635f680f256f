// Handoff's JSON without JSONEncoder and JSONDecoder, as its Codable
// conformance gives it through `OrderCoding` (see Order+JSON.swift).

extension Handoff: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("action", action.rawValue)
        writer.member("amount", amount)
        writer.member("order", order)
        writer.member("reason", reason)
        writer.member("return_lines", returnLines)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var action: Action?
        var order: Order?
        var reason: String??
        var amount: Int64??
        var returnLines: [OrderReturn.Line]??
        guard reader.members({ key, reader in
            switch key {
            case "action": reader.choice(into: &action)
            case "order": reader.read(into: &order) { Order(reader: &$0) }
            case "reason": reader.string(into: &reason)
            case "amount": reader.integer(into: &amount)
            case "return_lines": reader.read(into: &returnLines) { $0.array { OrderReturn.Line(reader: &$0) } }
            default: reader.skip()
            }
        }), let action, let order else { return nil }
        self.init(action: action, order: order, reason: reason ?? nil, amount: amount ?? nil,
                  returnLines: returnLines ?? nil)
    }
}

extension OrderReturn.Line: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("condition", condition.rawValue)
        writer.member("quantity", quantity)
        writer.member("sku", sku)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var sku: String?
        var quantity: Int?
        var condition: Condition?
        guard reader.members({ key, reader in
            switch key {
            case "sku": reader.string(into: &sku)
            case "quantity": reader.integer(into: &quantity)
            case "condition": reader.choice(into: &condition)
            default: reader.skip()
            }
        }), let sku, let quantity, let condition else { return nil }
        self.init(sku: sku, quantity: quantity, condition: condition)
    }
}
