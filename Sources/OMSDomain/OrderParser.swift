import Foundation

/// `order.place` bodies into `Order`s, every broken rule reported.
enum OrderParser {
    static func parse(_ json: JSONValue) -> Result<Order, ValidationFailure> {
        var reader = FieldReader()
        let order = read(json, &reader)
        guard reader.issues.isEmpty, let order else { return .failure(ValidationFailure(issues: reader.issues)) }
        return .success(order)
    }

    private static func read(_ json: JSONValue, _ reader: inout FieldReader) -> Order? {
        guard let fields = reader.object(json, at: "", allowed: [
            "id", "channel", "external_id", "placed_at", "currency", "customer", "shipping_address", "lines",
            "shipping", "payment", "tags",
        ]) else { return nil }
        let id = reader.string(fields["id"], at: "id", rule: .orderID)
        let channel = reader.string(fields["channel"], at: "channel", rule: .channel)
        let externalID = reader.string(fields["external_id"], at: "external_id", rule: .externalID, required: false)
        let placedAt = reader.timestamp(fields["placed_at"], at: "placed_at")
        let currency = reader.string(fields["currency"], at: "currency", rule: .currency).flatMap(Currency.init(code:))
        let customer = readCustomer(fields["customer"], &reader)
        let address = readAddress(fields["shipping_address"], &reader)
        let lines = readLines(fields["lines"], &reader)
        let shipping = readShipping(fields["shipping"], &reader)
        let payment = readPayment(fields["payment"], &reader)
        let tags = readTags(fields["tags"], &reader)
        guard let id, let channel, let placedAt, let currency, let customer, let address, let lines, let payment
        else { return nil }
        return Order(id: id, channel: channel, externalID: externalID, placedAt: placedAt, currency: currency,
                     customer: customer, shippingAddress: address, lines: lines,
                     shipping: shipping ?? Order.Shipping(service: .standard), payment: payment, tags: tags ?? [])
    }

    private static func readCustomer(_ value: JSONValue?, _ reader: inout FieldReader) -> Order.Customer? {
        guard let fields = reader.object(value, at: "customer", allowed: ["name", "email", "phone"]) else { return nil }
        let name = reader.string(fields["name"], at: "customer.name", rule: .text(maxLength: 200))
        let email = reader.string(fields["email"], at: "customer.email", rule: .email)
        let phone = reader.string(fields["phone"], at: "customer.phone", rule: .phone, required: false)
        guard let name, let email else { return nil }
        return Order.Customer(name: name, email: email, phone: phone)
    }

    private static func readAddress(_ value: JSONValue?, _ reader: inout FieldReader) -> Order.Address? {
        let path = "shipping_address"
        guard let fields = reader.object(value, at: path, allowed: [
            "line1", "line2", "city", "region", "postal_code", "country",
        ]) else { return nil }
        let line1 = reader.string(fields["line1"], at: "\(path).line1", rule: .text(maxLength: 200))
        let line2 = reader.string(fields["line2"], at: "\(path).line2", rule: .text(maxLength: 200), required: false)
        let city = reader.string(fields["city"], at: "\(path).city", rule: .text(maxLength: 200))
        let region = reader.string(fields["region"], at: "\(path).region", rule: .text(maxLength: 200), required: false)
        let postalCode = reader.string(fields["postal_code"], at: "\(path).postal_code", rule: .postalCode,
                                       required: false)
        let country = reader.string(fields["country"], at: "\(path).country", rule: .country)
        if let postalCode, let country, let problem = PostalCodeFormat.problem(postalCode, country: country) {
            reader.report("\(path).postal_code", problem)
        }
        guard let line1, let city, let country else { return nil }
        return Order.Address(line1: line1, line2: line2, city: city, region: region, postalCode: postalCode,
                             country: country)
    }

    private static func readLines(_ value: JSONValue?, _ reader: inout FieldReader) -> [OrderLine]? {
        guard let items = reader.array(value, at: "lines", count: 1...100) else { return nil }
        var lines: [OrderLine] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let path = "lines[\(index)]"
            guard let line = readLine(item, at: path, &reader) else { continue }
            if !seen.insert(line.sku).inserted { reader.report("\(path).sku", "'\(line.sku)' appears in an earlier line") }
            lines.append(line)
        }
        return lines.count == items.count ? lines : nil
    }

    private static func readLine(_ value: JSONValue, at path: String, _ reader: inout FieldReader) -> OrderLine? {
        guard let fields = reader.object(value, at: path, allowed: [
            "sku", "quantity", "unit_price", "name", "weight_grams", "hs_code", "origin_country",
        ]) else { return nil }
        let sku = reader.string(fields["sku"], at: "\(path).sku", rule: .sku)
        let quantity = reader.integer(fields["quantity"], at: "\(path).quantity", range: Limits.quantity,
                                      meaning: "a positive integer")
        let unitPrice = reader.integer(fields["unit_price"], at: "\(path).unit_price", range: Limits.money,
                                       meaning: "a whole number of minor units")
        let name = reader.string(fields["name"], at: "\(path).name", rule: .text(maxLength: 200), required: false)
        let weight = reader.integer(fields["weight_grams"], at: "\(path).weight_grams", range: 0...1_000_000,
                                    meaning: "a whole number of grams", required: false)
        let hsCode = reader.string(fields["hs_code"], at: "\(path).hs_code", rule: .hsCode, required: false)
        let origin = reader.string(fields["origin_country"], at: "\(path).origin_country", rule: .country,
                                   required: false)
        guard let sku, let quantity, let unitPrice else { return nil }
        return OrderLine(sku: sku, quantity: Int(quantity), unitPrice: unitPrice, name: name,
                         weightGrams: weight.map(Int.init), hsCode: hsCode, originCountry: origin)
    }

    private static func readShipping(_ value: JSONValue?, _ reader: inout FieldReader) -> Order.Shipping? {
        guard let fields = reader.object(value, at: "shipping", allowed: ["service"], required: false) else {
            return nil
        }
        return reader.oneOf(fields["service"], at: "shipping.service", Order.Shipping.Service.self)
            .map(Order.Shipping.init(service:))
    }

    private static func readPayment(_ value: JSONValue?, _ reader: inout FieldReader) -> Order.Payment? {
        guard let fields = reader.object(value, at: "payment", allowed: ["method", "token"]) else { return nil }
        let method = reader.oneOf(fields["method"], at: "payment.method", Order.Payment.Method.self)
        let token = reader.string(fields["token"], at: "payment.token", rule: .paymentToken, required: false)
        if method == .card, fields["token"] == nil {
            reader.report("payment.token", "is required when payment.method is card")
        }
        guard let method else { return nil }
        return Order.Payment(method: method, token: token)
    }

    private static func readTags(_ value: JSONValue?, _ reader: inout FieldReader) -> [String]? {
        guard let items = reader.array(value, at: "tags", count: 0...20, required: false) else { return nil }
        var tags: [String] = []
        for (index, item) in items.enumerated() {
            guard let tag = reader.string(item, at: "tags[\(index)]", rule: .tag) else { continue }
            if tags.contains(tag) { reader.report("tags[\(index)]", "'\(tag)' appears more than once") }
            tags.append(tag)
        }
        return tags
    }
}

enum Limits {
    static let quantity: ClosedRange<Int64> = 1...10_000
    static let money: ClosedRange<Int64> = 0...1_000_000_000_000
    /// Bodies above this are refused before parsing.
    static let maximumBodyBytes = 1 << 20
}
