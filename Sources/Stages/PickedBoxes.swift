import OMSDomain
import OMSStore
import WorkerRuntime

/// What pick leaves in the warehouse for an order: a picklist line and a
/// packing slip per box, the whole order at one location or each parcel at its own.
enum PickedBoxes {
    /// Takes the order off every picklist it is on (at `pickLocation`, or at
    /// each parcel's location) and removes its slips; what is absent is fine.
    static func void(orderID: String, parcels: [Parcel], pickLocation: String?,
                     picklists: @Sendable (String) -> any PicklistBook, slips: String) async throws {
        if let pickLocation {
            try await picklists(pickLocation).void(orderID: orderID)
            DocumentFiles.remove(folder: slips, name: DocumentFiles.orderDocument(orderID))
        }
        for parcel in parcels {
            try await picklists(parcel.location).void(orderID: orderID)
            DocumentFiles.remove(folder: slips, name: DocumentFiles.orderDocument(orderID, parcel: parcel.number))
        }
    }
}
