// Status events' JSON without JSONEncoder and JSONDecoder, as their Codable
// conformances give it through `OrderCoding` (see Order+JSON.swift).

extension StatusEvent {
    /// The envelope around a payload that writes itself.
    func write(data: some JSONWritable, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("data", data)
        writer.member("datacontenttype", datacontenttype)
        writer.member("id", id)
        writer.member("source", source)
        writer.member("specversion", specversion)
        writer.member("subject", subject)
        writer.member("time", time)
        writer.member("traceparent", traceparent)
        writer.member("type", type)
        writer.endObject()
    }
}

extension OrderEvent {
    init?(reader: inout JSONReader) {
        var specversion, id, source, type, time: String?
        var traceparent: String??
        var data: OrderEventData?
        guard reader.members({ key, reader in
            switch key {
            case "specversion": reader.string(into: &specversion)
            case "id": reader.string(into: &id)
            case "source": reader.string(into: &source)
            case "type": reader.string(into: &type)
            case "time": reader.string(into: &time)
            case "traceparent": reader.string(into: &traceparent)
            case "data": reader.read(into: &data) { OrderEventData(reader: &$0) }
            default: reader.skip()
            }
        }), let specversion, let id, let source, let type, let time, let date = RFC3339.parse(time), let data
        else { return nil }
        self.init(specversion: specversion, id: id, source: source, type: type, time: date,
                  traceparent: traceparent ?? nil, data: data)
    }
}

extension OrderEventData: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("carrier", carrier)
        writer.member("channel", channel)
        writer.member("currency", currency)
        writer.member("customer", customer)
        writer.member("estimated_delivery", estimatedDelivery)
        writer.member("external_id", externalID)
        writer.member("lines", lines)
        writer.member("order", order)
        writer.member("order_id", orderID)
        writer.member("parcels", parcels)
        writer.member("previous_status", previousStatus?.rawValue)
        writer.member("reason", reason)
        writer.member("refund_amount", refundAmount)
        writer.member("refund_by", refundBy)
        writer.member("return_authorization", returnAuthorization)
        writer.member("status", status.rawValue)
        writer.member("tracking_number", trackingNumber)
        writer.member("version", version)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var orderID, channel: String?
        var status: OrderStatus?
        var version: Int?
        var previousStatus: OrderStatus??
        var reason, trackingNumber, carrier, returnAuthorization, refundBy, estimatedDelivery, currency,
            externalID: String??
        var refundAmount: Int64??
        var customer: EventCustomer??
        var lines: [EventLine]??
        var order: Order??
        var parcels: [ShippedParcel]??
        guard reader.members({ key, reader in
            switch key {
            case "order_id": reader.string(into: &orderID)
            case "status": reader.choice(into: &status)
            case "version": reader.integer(into: &version)
            case "channel": reader.string(into: &channel)
            case "previous_status": reader.choice(into: &previousStatus)
            case "reason": reader.string(into: &reason)
            case "tracking_number": reader.string(into: &trackingNumber)
            case "carrier": reader.string(into: &carrier)
            case "return_authorization": reader.string(into: &returnAuthorization)
            case "refund_amount": reader.integer(into: &refundAmount)
            case "refund_by": reader.string(into: &refundBy)
            case "estimated_delivery": reader.string(into: &estimatedDelivery)
            case "currency": reader.string(into: &currency)
            case "external_id": reader.string(into: &externalID)
            case "customer": reader.read(into: &customer) { EventCustomer(reader: &$0) }
            case "lines": reader.read(into: &lines) { $0.array { EventLine(reader: &$0) } }
            case "order": reader.read(into: &order) { Order(reader: &$0) }
            case "parcels": reader.read(into: &parcels) { $0.array { ShippedParcel(reader: &$0) } }
            default: reader.skip()
            }
        }), let orderID, let status, let version, let channel else { return nil }
        self.init(orderID: orderID, status: status, version: version, channel: channel,
                  previousStatus: previousStatus ?? nil)
        self.reason = reason ?? nil
        self.trackingNumber = trackingNumber ?? nil
        self.carrier = carrier ?? nil
        self.returnAuthorization = returnAuthorization ?? nil
        self.refundAmount = refundAmount ?? nil
        self.refundBy = refundBy ?? nil
        self.estimatedDelivery = estimatedDelivery ?? nil
        self.currency = currency ?? nil
        self.externalID = externalID ?? nil
        self.customer = customer ?? nil
        self.lines = lines ?? nil
        self.order = order ?? nil
        self.parcels = parcels ?? nil
    }
}

extension ShippedParcel: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("carrier", carrier)
        writer.member("estimated_delivery", estimatedDelivery)
        writer.member("lines", lines)
        writer.member("location", location)
        writer.member("number", number)
        writer.member("tracking_number", trackingNumber)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var number: Int?
        var location, carrier, trackingNumber: String?
        var estimatedDelivery: String??
        var lines: [OrderEventData.EventLine]?
        guard reader.members({ key, reader in
            switch key {
            case "number": reader.integer(into: &number)
            case "location": reader.string(into: &location)
            case "lines": reader.read(into: &lines) { $0.array { OrderEventData.EventLine(reader: &$0) } }
            case "carrier": reader.string(into: &carrier)
            case "tracking_number": reader.string(into: &trackingNumber)
            case "estimated_delivery": reader.string(into: &estimatedDelivery)
            default: reader.skip()
            }
        }), let number, let location, let lines, let carrier, let trackingNumber else { return nil }
        self.init(number: number, location: location, lines: lines, carrier: carrier, trackingNumber: trackingNumber,
                  estimatedDelivery: estimatedDelivery ?? nil)
    }
}

extension ShipmentShippedData: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("channel", channel)
        writer.member("external_id", externalID)
        writer.member("order_id", orderID)
        writer.member("parcel", parcel)
        writer.member("parcel_count", parcelCount)
        writer.endObject()
    }
}

extension OrderEventData.EventCustomer: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("email", email)
        writer.member("name", name)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var name, email: String?
        guard reader.members({ key, reader in
            switch key {
            case "name": reader.string(into: &name)
            case "email": reader.string(into: &email)
            default: reader.skip()
            }
        }), let name, let email else { return nil }
        self.init(name: name, email: email)
    }
}

extension OrderEventData.EventLine: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("name", name)
        writer.member("quantity", quantity)
        writer.member("sku", sku)
        writer.endObject()
    }

    init?(reader: inout JSONReader) {
        var sku: String?
        var quantity: Int?
        var name: String??
        guard reader.members({ key, reader in
            switch key {
            case "sku": reader.string(into: &sku)
            case "quantity": reader.integer(into: &quantity)
            case "name": reader.string(into: &name)
            default: reader.skip()
            }
        }), let sku, let quantity else { return nil }
        self.init(sku: sku, quantity: quantity, name: name ?? nil)
    }
}

extension RefundOwedData: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("amount", amount)
        writer.member("channel", channel)
        writer.member("currency", currency)
        writer.member("external_id", externalID)
        writer.member("order_id", orderID)
        writer.endObject()
    }
}

extension StockLowData: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("available", available)
        writer.member("reorder_point", reorderPoint)
        writer.member("sku", sku)
        writer.endObject()
    }
}
