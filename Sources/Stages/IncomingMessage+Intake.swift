import OMSDomain
import WorkerRuntime

extension IncomingMessage {
    /// The command `extract` finds in this intake message, or why there is
    /// none: the body's decoding error, or that it is not `expected` ("an order.return message").
    func intakeCommand<Command>(_ extract: (IntakeMessage) -> Command?,
                                expected: String) throws(Refusal) -> Command {
        let intake: IntakeMessage
        do {
            intake = try IntakeMessage.decode(routingKey: routingKey, body: body)
        } catch {
            throw Refusal(reason: error.description)
        }
        guard let command = extract(intake) else {
            throw Refusal(reason: "not \(expected)")
        }
        return command
    }
}

extension IntakeMessage {
    var returnRequest: OrderReturn? {
        if case .returnRequest(let request) = self { request } else { nil }
    }

    var delivery: ShipmentDelivered? {
        if case .delivered(let delivery) = self { delivery } else { nil }
    }
}
