/// What arrives on `oms.intake`, by routing key (DESIGN.md).
public enum IntakeMessage: Sendable, Hashable {
    case place(Order)
    case cancel(OrderCancel)
    case returnRequest(OrderReturn)
    case delivered(ShipmentDelivered)
    case restocked(StockRestocked)

    public enum RoutingKey: String, Sendable, CaseIterable {
        case orderPlace = "order.place"
        case orderCancel = "order.cancel"
        case orderReturn = "order.return"
        case shipmentDelivered = "shipment.delivered"
        case stockRestocked = "stock.restocked"
    }

    /// Why a body was refused; the description is what a publisher reads in
    /// the dead letter's `x-oms-error`.
    public enum DecodingError: Error, Sendable, Hashable, CustomStringConvertible {
        case tooLarge(bytes: Int)
        case notJSON
        case unknownRoutingKey(String)
        case invalid(ValidationFailure)

        public var description: String {
            switch self {
            case .tooLarge(let bytes):
                "message body is \(bytes) bytes; the limit is \(Limits.maximumBodyBytes) bytes"
            case .notJSON:
                "message body is not valid JSON"
            case .unknownRoutingKey(let key):
                "unknown routing key '\(key)'; oms.intake takes "
                    + RoutingKey.allCases.map(\.rawValue).joined(separator: ", ")
            case .invalid(let failure):
                "invalid message: \(failure)"
            }
        }
    }

    public static func decode(routingKey: String, body: [UInt8]) throws(DecodingError) -> IntakeMessage {
        guard let key = RoutingKey(rawValue: routingKey) else { throw .unknownRoutingKey(routingKey) }
        guard body.count <= Limits.maximumBodyBytes else { throw .tooLarge(bytes: body.count) }
        guard let json = JSONValue.parse(body) else { throw .notJSON }
        let result: Result<IntakeMessage, ValidationFailure> = switch key {
        case .orderPlace: OrderParser.parse(json).map(IntakeMessage.place)
        case .orderCancel: CommandParser.cancel(json).map(IntakeMessage.cancel)
        case .orderReturn: CommandParser.returnRequest(json).map(IntakeMessage.returnRequest)
        case .shipmentDelivered: CommandParser.delivered(json).map(IntakeMessage.delivered)
        case .stockRestocked: CommandParser.restocked(json).map(IntakeMessage.restocked)
        }
        switch result {
        case .success(let message): return message
        case .failure(let failure): throw .invalid(failure)
        }
    }
}
