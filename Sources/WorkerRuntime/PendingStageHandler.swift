/// The handler of a stage whose work is not built yet (payment, pick, ship,
/// notify and return, until the fulfilment and notification issues): it logs
/// what arrives and acknowledges it, so the queues do not fill up.
public struct PendingStageHandler: StageHandler {
    public init() {}

    public func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome {
        context.logger.info("received; this stage only logs for now", metadata: ["bytes": "\(message.body.count)"])
        return .done([])
    }
}
