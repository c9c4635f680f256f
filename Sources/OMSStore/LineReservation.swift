import RedisClient

/// What `reserve.lua` answered for one SKU. Whether the hold is new (the
/// second element) is not needed here: a redelivery never crosses the reorder point.
struct LineReservation: Sendable, Hashable {
    var isReserved: Bool
    var availableAfter: Int
    var crossedReorderPoint: Bool
    var reorderPoint: Int?
    /// Where the hold is, for a SKU stocked per location.
    var location: String?
    /// Available at each location asked for, in the order asked; empty for a
    /// SKU not stocked per location.
    var availableAt: [Int]

    init(reply: RedisReply) throws(StoreError) {
        let elements = try reply.elements("reserve")
        guard elements.count == 7, let reserved = elements[0].int, elements[1].int != nil,
              let available = elements[2].int, let crossed = elements[3].int,
              let availableAt = try? elements[6].elements("reserve").map({ $0.int }),
              !availableAt.contains(nil) else {
            throw reply.unexpected("reserve")
        }
        isReserved = reserved == 1
        availableAfter = available
        crossedReorderPoint = crossed == 1
        reorderPoint = elements[4].int
        location = elements[5].string
        self.availableAt = availableAt.compactMap { $0 }
    }
}
