import OMSDomain

/// Fields one stage writes on the order's hash for a later one to read.
enum OrderFields {
    /// Where capture reserved the order's stock, for SKUs stocked per location:
    /// pick puts the order on that location's picklist.
    static let stockLocation = "stock_location"
    /// The parcels of an order no one location could fill (`Parcel.encode`),
    /// written by capture instead of `stock_location`.
    static let parcels = Parcel.field
    /// The location whose picklist the order is on: ship buys the label from there.
    static let pickLocation = "pick_location"
    /// Every parcel's tracking number, comma-separated, once a split order shipped.
    static let trackingNumbers = "tracking_numbers"
    /// The parcels as shipped (`ShippedParcel.encode`), for the events a redelivery publishes again.
    static let shippedParcels = ShippedParcel.field
}
