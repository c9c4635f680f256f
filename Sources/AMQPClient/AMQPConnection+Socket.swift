import ConnectionThread
import Logging

/// What the connection thread reads from the socket, between jobs.
extension AMQPConnection {
    /// Reads every complete frame already available, without waiting. Runs on
    /// the connection thread between jobs, when the socket is readable or has
    /// been quiet for `pollMilliseconds`.
    func serviceSocket(_ readiness: ThreadExecutor.Readiness) {
        guard let handle else { return }
        if readiness == .readable || handle.hasBufferedInput { lastInbound = .now }
        do {
            for _ in 0..<512 {
                guard let frame = try handle.nextFrame() else { break }
                dispatch(frame)
            }
            if !handle.hasBufferedInput { handle.releaseBuffers() }
            try checkHeartbeat()
        } catch {
            connectionLost(error)
        }
    }

    /// Short enough to send our heartbeats on time (rabbitmq-c sends one when
    /// due whenever we read) and to notice missed ones.
    var pollMilliseconds: Int32 {
        let heartbeat = configuration.heartbeat
        return heartbeat == .zero ? 1000 : Int32(min(1000, max(50, heartbeat.milliseconds / 4)))
    }

    /// The broker sends a heartbeat at least every interval when idle: two
    /// intervals of silence mean the link is dead even if TCP has not noticed.
    func checkHeartbeat() throws(AMQPError) {
        let heartbeat = configuration.heartbeat
        guard heartbeat > .zero, ContinuousClock.now - lastInbound > heartbeat * 2 else { return }
        throw AMQPError(.connectionLost, "no heartbeat from the broker for \(heartbeat * 2)",
                        operation: "connection to \(nodes.url.host):\(nodes.url.port)")
    }

    func dispatch(_ frame: InboundFrame) {
        switch frame {
        case .deliver(let info, let content):
            deliver(info, content)
        case .confirm(let deliveryTag, let multiple, let nack):
            for (promise, result) in confirms.settle(deliveryTag: deliveryTag, multiple: multiple, nack: nack) {
                promise.settle(result)
            }
        case .returned(let exchange, let routingKey, let messageID, let error):
            confirms.markReturned(exchange: exchange, routingKey: routingKey, messageID: messageID, error: error)
        case .consumerCancelled(let tag):
            guard let id = consumerIDsByTag.removeValue(forKey: tag),
                  let registration = consumers.removeValue(forKey: id) else { return }
            registration.continuation.finish(throwing: AMQPError(
                .channelClosed, "the broker cancelled the consumer (queue deleted?)",
                operation: "consume from queue \(registration.queue)"))
        case .other:
            break
        }
    }

    func deliver(_ info: InboundFrame.DeliveryInfo, _ content: MessageContent) {
        guard let id = consumerIDsByTag[info.consumerTag], let registration = consumers[id] else {
            // Arrived after its consumer was cancelled: give it back at once.
            try? handle?.nack(info.deliveryTag, multiple: false, requeue: true, channel: info.channel)
            return
        }
        if info.channel == ConnectionHandle.mainChannel { acks.delivered(info.deliveryTag) }
        registration.continuation.yield(delivery(info, content, queue: registration.queue))
    }

    func delivery(_ info: InboundFrame.DeliveryInfo, _ content: MessageContent,
                          queue: String) -> AMQPDelivery {
        AMQPDelivery(deliveryTag: info.deliveryTag, redelivered: info.redelivered, exchange: info.exchange,
                     routingKey: info.routingKey, body: content.body, headers: content.headers,
                     contentType: content.contentType, messageID: content.messageID,
                     correlationID: content.correlationID, timestamp: content.timestamp, queue: queue,
                     channel: info.channel, connectionGeneration: lifecycle.generation)
    }
}
