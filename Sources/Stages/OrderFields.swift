/// Fields one stage writes on the order's hash for a later one to read.
enum OrderFields {
    /// Where capture reserved the order's stock, for SKUs stocked per location:
    /// pick puts the order on that location's picklist.
    static let stockLocation = "stock_location"
    /// The location whose picklist the order is on: ship buys the label from there.
    static let pickLocation = "pick_location"
}
