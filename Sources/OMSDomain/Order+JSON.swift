import Foundation

// Order's JSON without JSONEncoder and JSONDecoder, the same bytes and values
// as its Codable conformance gives through `OrderCoding`: keys in UTF-8 order,
// nil members left out, `placed_at` as `RFC3339.format`. A member added to
// `Order` or a part of it must be added here too (OrderJSONTests compares
// against JSONEncoder and counts the stored properties).

extension Order: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("channel", channel)
        writer.member("currency", currency.code)
        writer.member("customer", customer)
        writer.member("external_id", externalID)
        writer.member("id", id)
        writer.member("lines", lines)
        writer.member("payment", payment)
        writer.member("placed_at", RFC3339.format(placedAt))
        writer.member("shipping", shipping)
        writer.member("shipping_address", shippingAddress)
        writer.key("tags")
        writer.array(tags) { tag, writer in writer.string(tag) }
        writer.endObject()
    }

    /// An order as its Decodable conformance reads it; nil where that would throw or this is not sure.
    init?(reader: inout JSONReader) {
        var id, channel: String?
        var externalID: String??
        var placedAt: Date?
        var currency: Currency?
        var customer: Customer?
        var shippingAddress: Address?
        var lines: [OrderLine]?
        var shipping: Shipping?
        var payment: Payment?
        var tags: [String]?
        guard reader.members({ key, reader in
            switch key {
            case "id": reader.string(into: &id)
            case "channel": reader.string(into: &channel)
            case "external_id": reader.string(into: &externalID)
            case "placed_at": reader.read(into: &placedAt) { $0.string().flatMap(RFC3339.parse) }
            case "currency": reader.read(into: &currency) { $0.string().flatMap(Currency.init(code:)) }
            case "customer": reader.read(into: &customer) { Customer(reader: &$0) }
            case "shipping_address": reader.read(into: &shippingAddress) { Address(reader: &$0) }
            case "lines": reader.read(into: &lines) { $0.array { OrderLine(reader: &$0) } }
            case "shipping": reader.read(into: &shipping) { Shipping(reader: &$0) }
            case "payment": reader.read(into: &payment) { Payment(reader: &$0) }
            case "tags": reader.read(into: &tags) { $0.array { $0.string() } }
            default: reader.skip()
            }
        }), let id, let channel, let placedAt, let currency, let customer, let shippingAddress, let lines,
            let shipping, let payment, let tags else { return nil }
        self.init(id: id, channel: channel, externalID: externalID ?? nil, placedAt: placedAt, currency: currency,
                  customer: customer, shippingAddress: shippingAddress, lines: lines, shipping: shipping,
                  payment: payment, tags: tags)
    }
}

extension Order.Customer: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("email", email)
        writer.member("name", name)
        writer.member("phone", phone)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var name, email: String?
        var phone: String??
        guard reader.members({ key, reader in
            switch key {
            case "name": reader.string(into: &name)
            case "email": reader.string(into: &email)
            case "phone": reader.string(into: &phone)
            default: reader.skip()
            }
        }), let name, let email else { return nil }
        self.init(name: name, email: email, phone: phone ?? nil)
    }
}

extension Order.Address: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("city", city)
        writer.member("country", country)
        writer.member("line1", line1)
        writer.member("line2", line2)
        writer.member("postal_code", postalCode)
        writer.member("region", region)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var line1, city, country: String?
        var line2, region, postalCode: String??
        guard reader.members({ key, reader in
            switch key {
            case "line1": reader.string(into: &line1)
            case "line2": reader.string(into: &line2)
            case "city": reader.string(into: &city)
            case "region": reader.string(into: &region)
            case "postal_code": reader.string(into: &postalCode)
            case "country": reader.string(into: &country)
            default: reader.skip()
            }
        }), let line1, let city, let country else { return nil }
        self.init(line1: line1, line2: line2 ?? nil, city: city, region: region ?? nil,
                  postalCode: postalCode ?? nil, country: country)
    }
}

extension Order.Shipping: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("service", service.rawValue)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var service: Service?
        guard reader.members({ key, reader in
            switch key {
            case "service": reader.choice(into: &service)
            default: reader.skip()
            }
        }), let service else { return nil }
        self.init(service: service)
    }
}

extension Order.Payment: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("method", method.rawValue)
        writer.member("token", token)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var method: Method?
        var token: String??
        guard reader.members({ key, reader in
            switch key {
            case "method": reader.choice(into: &method)
            case "token": reader.string(into: &token)
            default: reader.skip()
            }
        }), let method else { return nil }
        self.init(method: method, token: token ?? nil)
    }
}

extension OrderLine: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("hs_code", hsCode)
        writer.member("name", name)
        writer.member("origin_country", originCountry)
        writer.member("quantity", quantity)
        writer.member("sku", sku)
        writer.member("unit_price", unitPrice)
        writer.member("weight_grams", weightGrams)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var sku: String?
        var quantity: Int?
        var unitPrice: Int64?
        var name, hsCode, originCountry: String??
        var weightGrams: Int??
        guard reader.members({ key, reader in
            switch key {
            case "sku": reader.string(into: &sku)
            case "quantity": reader.integer(into: &quantity)
            case "unit_price": reader.integer(into: &unitPrice)
            case "name": reader.string(into: &name)
            case "weight_grams": reader.integer(into: &weightGrams)
            case "hs_code": reader.string(into: &hsCode)
            case "origin_country": reader.string(into: &originCountry)
            default: reader.skip()
            }
        }), let sku, let quantity, let unitPrice else { return nil }
        self.init(sku: sku, quantity: quantity, unitPrice: unitPrice, name: name ?? nil,
                  weightGrams: weightGrams ?? nil, hsCode: hsCode ?? nil, originCountry: originCountry ?? nil)
    }
}
