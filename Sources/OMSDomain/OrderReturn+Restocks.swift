extension OrderReturn {
    /// What goes back on the shelf when this return arrives: one restock per
    /// SKU with the sellable quantity of all its lines (damaged goods are not
    /// restocked). Each restock's id is derived from the order and the SKU,
    /// so a redelivered receipt restocks once, two lines of one SKU are not
    /// mistaken for one redelivered, and the id stays within the 100
    /// characters `restock_id` allows whatever the lengths of order id and SKU.
    public var restocks: [StockRestocked] {
        var sellable: [String: Int] = [:]
        var skus: [String] = []
        for line in lines where line.condition == .sellable {
            if sellable[line.sku] == nil { skus.append(line.sku) }
            sellable[line.sku, default: 0] += line.quantity
        }
        return skus.map { sku in
            StockRestocked(sku: sku, quantity: sellable[sku]!,
                           restockID: "return:" + OrderCoding.contentHash(Array("\(orderID)\n\(sku)".utf8)))
        }
    }
}
