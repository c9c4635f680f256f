import ConnectionThread
import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

/// The one owner of an `amqp_connection_state_t`: opened and logged in by the
/// throwing init, closed by `close()`, destroyed by `deinit` as a net. Not
/// thread-safe, like the library: only `AMQPConnection`'s thread uses it.
final class ConnectionHandle {
    /// Publishes, consumes and confirms.
    static let mainChannel: amqp_channel_t = 1
    /// Declarations and passive checks: a failed declare closes only this one.
    static let scratchChannel: amqp_channel_t = 2
    /// basic.get: content read after get-ok must not meet a consumer's frames.
    static let getChannel: amqp_channel_t = 3

    private let state: amqp_connection_state_t
    private var isClosed = false
    private let endpoint: String

    init(configuration: AMQPConfiguration, url: AMQPURL) throws(AMQPError) {
        endpoint = "\(url.host):\(url.port)"
        guard let state = amqp_new_connection() else {
            throw AMQPError(.library, "out of memory", operation: "create connection")
        }
        self.state = state
        do {
            try open(configuration, url: url)
        } catch {
            amqp_destroy_connection(state)
            isClosed = true
            throw error
        }
    }

    deinit {
        if !isClosed { amqp_destroy_connection(state) }
    }

    var socketFD: Int32 { amqp_get_sockfd(state) }

    /// Frames already read from the socket (by an RPC that waited for its
    /// reply) or bytes not yet decoded: poll would not report them.
    var hasBufferedInput: Bool {
        amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0
    }

    private func open(_ configuration: AMQPConfiguration, url: AMQPURL) throws(AMQPError) {
        let socket = if let tls = url.tls { try tlsSocket(tls) } else { try tcpSocket() }
        var connectTimeout = timeval(configuration.connectTimeout)
        let status = amqp_socket_open_noblock(socket, url.host, Int32(url.port), &connectTimeout)
        if status != AMQP_STATUS_OK.rawValue {
            throw AMQPError(.unreachable, Self.openFailure(status, tls: url.tls != nil),
                            code: Int(status), operation: "connect to \(endpoint)")
        }
        var rpcTimeout = timeval(configuration.rpcTimeout)
        amqp_set_rpc_timeout(state, &rpcTimeout)
        try login(configuration, url: url)
        for channel in [Self.mainChannel, Self.scratchChannel, Self.getChannel] { try openChannel(channel) }
        amqp_confirm_select(state, Self.mainChannel)
        try check(amqp_get_rpc_reply(state), "enable publisher confirms", channel: Self.mainChannel)
    }

    private func tcpSocket() throws(AMQPError) -> OpaquePointer {
        guard let socket = amqp_tcp_socket_new(state) else {
            throw AMQPError(.library, "cannot create a TCP socket", operation: "connect to \(endpoint)")
        }
        return socket
    }

    /// The system's CA bundle on Debian, when the URL names no CA file.
    static let systemCABundle = "/etc/ssl/certs/ca-certificates.crt"

    /// A TLS socket that verifies the broker's certificate and host name.
    private func tlsSocket(_ tls: AMQPURL.TLS) throws(AMQPError) -> OpaquePointer {
        guard let socket = amqp_ssl_socket_new(state) else {
            throw AMQPError(.library, "cannot create a TLS socket", operation: "connect to \(endpoint)")
        }
        amqp_ssl_socket_set_verify_peer(socket, 1)
        amqp_ssl_socket_set_verify_hostname(socket, 1)
        let caFile = tls.caCertificateFile ?? Self.systemCABundle
        let status = amqp_ssl_socket_set_cacert(socket, caFile)
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(.invalidURL, "cannot read the CA certificates in \(caFile) (\(Self.statusText(status))); "
                                + "give a PEM file as ?cacertfile=/path/ca.pem",
                            code: Int(status), operation: "connect to \(endpoint)")
        }
        return socket
    }

    private static func openFailure(_ status: Int32, tls: Bool) -> String {
        let reason = statusText(status)
        guard tls, status != AMQP_STATUS_SOCKET_ERROR.rawValue, status != AMQP_STATUS_TIMEOUT.rawValue else {
            return "cannot reach RabbitMQ (\(reason)); is the broker running? (scripts/services up)"
        }
        return "TLS handshake with RabbitMQ failed (\(reason)); is its certificate signed by the CA in "
            + "cacertfile, and issued for this host name?"
    }

    private func login(_ configuration: AMQPConfiguration, url: AMQPURL) throws(AMQPError) {
        let arena = CArena()
        var properties = arena.table([
            "connection_name": .string(configuration.connectionName),
            "product": "oms",
            "capabilities": .table([
                "authentication_failure_close": true,
                "consumer_cancel_notify": true,
                "publisher_confirms": true,
                "basic.nack": true,
            ]),
        ])
        let reply = oms_amqp_login_plain(
            state, url.virtualHost, Int32(AMQP_DEFAULT_FRAME_SIZE),
            Int32(configuration.heartbeat.components.seconds), &properties, url.user, url.password)
        do {
            try check(reply, "log in to \(endpoint) vhost \(url.virtualHost) as \(url.user)", channel: 0)
        } catch where error.kind == .accessRefused {
            throw AMQPError(.accessRefused, "the broker refused user '\(url.user)' (wrong user or password?)",
                            code: error.code, operation: error.operation)
        } catch where error.kind == .connectionLost && error.code == 530 {
            throw AMQPError(.accessRefused, "no access to vhost '\(url.virtualHost)' for user '\(url.user)'",
                            code: 530, operation: error.operation)
        }
    }

    func openChannel(_ channel: amqp_channel_t) throws(AMQPError) {
        amqp_channel_open(state, channel)
        try check(amqp_get_rpc_reply(state), "open channel \(channel)", channel: channel)
    }

    /// Closes the connection politely; the handle is unusable afterwards.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = amqp_channel_close(state, Self.mainChannel, AMQP_REPLY_SUCCESS)
        _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        amqp_destroy_connection(state)
    }

    /// Drops the connection without a handshake: after a socket error.
    func abandon() {
        guard !isClosed else { return }
        isClosed = true
        amqp_destroy_connection(state)
    }

    // MARK: - Publish, ack, consume

    func publish(_ message: AMQPMessage) throws(AMQPError) {
        let arena = CArena()
        var properties = amqp_basic_properties_t()
        properties._flags = amqp_flags_t(AMQP_BASIC_DELIVERY_MODE_FLAG)
        properties.delivery_mode = message.persistent ? 2 : 1
        if let contentType = message.contentType {
            properties._flags |= amqp_flags_t(AMQP_BASIC_CONTENT_TYPE_FLAG)
            properties.content_type = arena.bytes(contentType)
        }
        if let messageID = message.messageID {
            properties._flags |= amqp_flags_t(AMQP_BASIC_MESSAGE_ID_FLAG)
            properties.message_id = arena.bytes(messageID)
        }
        if let correlationID = message.correlationID {
            properties._flags |= amqp_flags_t(AMQP_BASIC_CORRELATION_ID_FLAG)
            properties.correlation_id = arena.bytes(correlationID)
        }
        if let timestamp = message.timestamp {
            properties._flags |= amqp_flags_t(AMQP_BASIC_TIMESTAMP_FLAG)
            properties.timestamp = timestamp
        }
        if !message.headers.isEmpty {
            properties._flags |= amqp_flags_t(AMQP_BASIC_HEADERS_FLAG)
            properties.headers = arena.table(message.headers)
        }
        let status = message.body.withUnsafeBytes { body in
            amqp_basic_publish(
                state, Self.mainChannel, arena.bytes(message.exchange), arena.bytes(message.routingKey),
                message.mandatory ? 1 : 0, 0, &properties,
                amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress)))
        }
        try check(status: status, "publish to \(message.exchange) with key \(message.routingKey)")
    }

    func ack(_ deliveryTag: UInt64, multiple: Bool, channel: amqp_channel_t) throws(AMQPError) {
        try check(status: amqp_basic_ack(state, channel, deliveryTag, multiple ? 1 : 0), "ack \(deliveryTag)")
    }

    func nack(_ deliveryTag: UInt64, multiple: Bool, requeue: Bool, channel: amqp_channel_t) throws(AMQPError) {
        try check(status: amqp_basic_nack(state, channel, deliveryTag, multiple ? 1 : 0, requeue ? 1 : 0),
                  "nack \(deliveryTag)")
    }

    func reject(_ deliveryTag: UInt64, requeue: Bool, channel: amqp_channel_t) throws(AMQPError) {
        try check(status: amqp_basic_reject(state, channel, deliveryTag, requeue ? 1 : 0), "reject \(deliveryTag)")
    }

    /// Starts a consumer; returns the consumer tag the broker chose.
    func consume(queue: String, prefetch: UInt16) throws(AMQPError) -> String {
        amqp_basic_qos(state, Self.mainChannel, 0, prefetch, 0)
        try check(amqp_get_rpc_reply(state), "set prefetch \(prefetch)", channel: Self.mainChannel)
        let arena = CArena()
        let ok = amqp_basic_consume(state, Self.mainChannel, arena.bytes(queue), amqp_empty_bytes, 0, 0, 0,
                                    amqp_empty_table)
        try check(amqp_get_rpc_reply(state), "consume from queue \(queue)", channel: Self.mainChannel)
        return CCopy.string(ok!.pointee.consumer_tag)
    }

    func cancel(consumerTag: String) throws(AMQPError) {
        let arena = CArena()
        amqp_basic_cancel(state, Self.mainChannel, arena.bytes(consumerTag))
        try check(amqp_get_rpc_reply(state), "cancel consumer \(consumerTag)", channel: Self.mainChannel)
    }

    /// basic.get on its own channel: nil when the queue is empty.
    func get(queue: String) throws(AMQPError) -> (InboundFrame.DeliveryInfo, MessageContent)? {
        let arena = CArena()
        let reply = amqp_basic_get(state, Self.getChannel, arena.bytes(queue), 0)
        try check(reply, "get from queue \(queue)", channel: Self.getChannel)
        guard reply.reply.id == AMQP_BASIC_GET_OK_METHOD else { return nil }
        let ok = reply.reply.decoded.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee
        let info = InboundFrame.DeliveryInfo(
            consumerTag: "", deliveryTag: ok.delivery_tag, redelivered: ok.redelivered != 0,
            exchange: CCopy.string(ok.exchange), routingKey: CCopy.string(ok.routing_key),
            channel: Self.getChannel)
        return (info, try readContent(channel: Self.getChannel, operation: "read message from \(queue)"))
    }

    // MARK: - Declarations (scratch channel)

    func declare(_ exchange: AMQPTopology.Exchange) throws(AMQPError) {
        let arena = CArena()
        amqp_exchange_declare(state, Self.scratchChannel, arena.bytes(exchange.name),
                              arena.bytes(exchange.kind.rawValue), 0, exchange.durable ? 1 : 0, 0, 0,
                              arena.table(exchange.arguments))
        try check(amqp_get_rpc_reply(state), "declare exchange \(exchange.name)", channel: Self.scratchChannel)
    }

    func declare(_ queue: AMQPTopology.Queue) throws(AMQPError) {
        let arena = CArena()
        amqp_queue_declare(state, Self.scratchChannel, arena.bytes(queue.name), 0, queue.durable ? 1 : 0,
                           queue.exclusive ? 1 : 0, queue.autoDelete ? 1 : 0, arena.table(queue.arguments))
        try check(amqp_get_rpc_reply(state), "declare queue \(queue.name)", channel: Self.scratchChannel)
    }

    func declare(_ binding: AMQPTopology.Binding) throws(AMQPError) {
        let arena = CArena()
        amqp_queue_bind(state, Self.scratchChannel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                        arena.bytes(binding.routingKey), arena.table(binding.arguments))
        try check(amqp_get_rpc_reply(state),
                  "bind queue \(binding.queue) to \(binding.exchange) with key \(binding.routingKey)",
                  channel: Self.scratchChannel)
    }

    /// Removes a binding; the broker answers the same whether it was there or not.
    func remove(_ binding: AMQPTopology.Binding) throws(AMQPError) {
        let arena = CArena()
        amqp_queue_unbind(state, Self.scratchChannel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                          arena.bytes(binding.routingKey), arena.table(binding.arguments))
        try check(amqp_get_rpc_reply(state),
                  "unbind queue \(binding.queue) from \(binding.exchange) with key \(binding.routingKey)",
                  channel: Self.scratchChannel)
    }

    /// Passive declare: the queue's ready messages and consumers; 404 when absent.
    func inspect(queue: String) throws(AMQPError) -> QueueState {
        let arena = CArena()
        let ok = amqp_queue_declare(state, Self.scratchChannel, arena.bytes(queue), 1, 0, 0, 0, amqp_empty_table)
        try check(amqp_get_rpc_reply(state), "inspect queue \(queue)", channel: Self.scratchChannel)
        return QueueState(messages: Int(ok!.pointee.message_count), consumers: Int(ok!.pointee.consumer_count))
    }

    func purge(queue: String) throws(AMQPError) -> Int {
        let arena = CArena()
        let ok = amqp_queue_purge(state, Self.scratchChannel, arena.bytes(queue))
        try check(amqp_get_rpc_reply(state), "purge queue \(queue)", channel: Self.scratchChannel)
        return Int(ok!.pointee.message_count)
    }

    func delete(queue: String) throws(AMQPError) {
        let arena = CArena()
        amqp_queue_delete(state, Self.scratchChannel, arena.bytes(queue), 0, 0)
        try check(amqp_get_rpc_reply(state), "delete queue \(queue)", channel: Self.scratchChannel)
    }

    func delete(exchange: String) throws(AMQPError) {
        let arena = CArena()
        amqp_exchange_delete(state, Self.scratchChannel, arena.bytes(exchange), 0)
        try check(amqp_get_rpc_reply(state), "delete exchange \(exchange)", channel: Self.scratchChannel)
    }

    // MARK: - Inbound frames

    /// The next complete inbound event without blocking: nil when nothing is
    /// buffered or readable. Also sends a heartbeat when one is due.
    func nextFrame() throws(AMQPError) -> InboundFrame? {
        var frame = amqp_frame_t()
        var noWait = timeval(tv_sec: 0, tv_usec: 0)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &noWait)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        try check(status: status, "read from \(endpoint)")
        guard frame.frame_type == AMQP_FRAME_METHOD else { return .other }
        return try decode(method: frame.payload.method, channel: frame.channel)
    }

    /// Returns pooled frame memory to the allocator when nothing is buffered.
    func releaseBuffers() {
        amqp_maybe_release_buffers(state)
    }

    private func decode(method: amqp_method_t, channel: amqp_channel_t) throws(AMQPError) -> InboundFrame {
        switch method.id {
        case AMQP_BASIC_DELIVER_METHOD:
            let deliver = method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            let info = InboundFrame.DeliveryInfo(
                consumerTag: CCopy.string(deliver.consumer_tag), deliveryTag: deliver.delivery_tag,
                redelivered: deliver.redelivered != 0, exchange: CCopy.string(deliver.exchange),
                routingKey: CCopy.string(deliver.routing_key), channel: channel)
            return .deliver(info, try readContent(channel: channel, operation: "read delivery \(info.deliveryTag)"))
        case AMQP_BASIC_ACK_METHOD:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            return .confirm(deliveryTag: ack.delivery_tag, multiple: ack.multiple != 0, nack: false)
        case AMQP_BASIC_NACK_METHOD:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            return .confirm(deliveryTag: nack.delivery_tag, multiple: nack.multiple != 0, nack: true)
        case AMQP_BASIC_RETURN_METHOD:
            let returned = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            let exchange = CCopy.string(returned.exchange)
            let routingKey = CCopy.string(returned.routing_key)
            let error = AMQPError(.unroutable, "no queue is bound for it: \(CCopy.string(returned.reply_text))",
                                  code: Int(returned.reply_code),
                                  operation: "publish to \(exchange) with key \(routingKey)")
            let content = try readContent(channel: channel, operation: "read returned message")
            return .returned(exchange: exchange, routingKey: routingKey, messageID: content.messageID, error: error)
        case AMQP_BASIC_CANCEL_METHOD:
            let cancel = method.decoded.assumingMemoryBound(to: amqp_basic_cancel_t.self).pointee
            return .consumerCancelled(consumerTag: CCopy.string(cancel.consumer_tag))
        case AMQP_CHANNEL_CLOSE_METHOD:
            throw closeChannelByServer(method, channel: channel, operation: "channel \(channel)")
        case AMQP_CONNECTION_CLOSE_METHOD:
            throw closeConnectionByServer(method, operation: "connection to \(endpoint)")
        default:
            return .other
        }
    }

    private func readContent(channel: amqp_channel_t, operation: String) throws(AMQPError) -> MessageContent {
        var message = amqp_message_t()
        try check(amqp_read_message(state, channel, &message, 0), operation, channel: channel)
        defer { amqp_destroy_message(&message) }
        return MessageContent(message)
    }

    // MARK: - Status codes to typed errors

    private func check(status: Int32, _ operation: String) throws(AMQPError) {
        guard status != AMQP_STATUS_OK.rawValue else { return }
        throw libraryError(status, operation)
    }

    private func check(_ reply: amqp_rpc_reply_t, _ operation: String, channel: amqp_channel_t) throws(AMQPError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw libraryError(reply.library_error, operation)
        case AMQP_RESPONSE_SERVER_EXCEPTION where reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD:
            throw closeConnectionByServer(reply.reply, operation: operation)
        case AMQP_RESPONSE_SERVER_EXCEPTION where reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD:
            throw closeChannelByServer(reply.reply, channel: channel, operation: operation)
        default:
            throw AMQPError(.library, "unexpected reply from the broker", operation: operation)
        }
    }

    private func libraryError(_ status: Int32, _ operation: String) -> AMQPError {
        let kind: AMQPError.Kind = switch status {
        case AMQP_STATUS_TIMEOUT.rawValue: .timeout
        case AMQP_STATUS_CONNECTION_CLOSED.rawValue, AMQP_STATUS_SOCKET_ERROR.rawValue,
            AMQP_STATUS_SOCKET_CLOSED.rawValue, AMQP_STATUS_HEARTBEAT_TIMEOUT.rawValue,
            AMQP_STATUS_TCP_ERROR.rawValue, AMQP_STATUS_BAD_AMQP_DATA.rawValue:
            .connectionLost
        default: .library
        }
        return AMQPError(kind, Self.statusText(status), code: Int(status), operation: operation)
    }

    private func closeConnectionByServer(_ method: amqp_method_t, operation: String) -> AMQPError {
        let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
        var ok = amqp_connection_close_ok_t()
        _ = amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok)
        let code = Int(close.reply_code)
        return AMQPError(code == 403 ? .accessRefused : .connectionLost,
                         "the broker closed the connection: \(CCopy.string(close.reply_text))",
                         code: code, operation: operation)
    }

    private func closeChannelByServer(_ method: amqp_method_t, channel: amqp_channel_t,
                                      operation: String) -> AMQPError {
        let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
        var ok = amqp_channel_close_ok_t()
        _ = amqp_send_method(state, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok)
        if channel != Self.mainChannel {
            // Declarations and gets have no state worth keeping: reopen at once.
            // Should this fail, the next request reports the broken connection.
            try? openChannel(channel)
        }
        return AMQPError(.channelClosed, CCopy.string(close.reply_text), code: Int(close.reply_code),
                         operation: operation)
    }

    static func statusText(_ status: Int32) -> String {
        String(cString: amqp_error_string2(status))
    }
}

/// A queue's counts from a passive declare.
public struct QueueState: Sendable, Equatable {
    /// Messages ready for delivery (not counting unacked ones).
    public var messages: Int
    public var consumers: Int
}

/// What the connection thread reads, already copied out of rabbitmq-c's memory.
enum InboundFrame {
    struct DeliveryInfo {
        var consumerTag: String
        var deliveryTag: UInt64
        var redelivered: Bool
        var exchange: String
        var routingKey: String
        var channel: amqp_channel_t
    }

    case deliver(DeliveryInfo, MessageContent)
    case confirm(deliveryTag: UInt64, multiple: Bool, nack: Bool)
    case returned(exchange: String, routingKey: String, messageID: String?, error: AMQPError)
    case consumerCancelled(consumerTag: String)
    case other
}

/// A message's properties and body, copied.
struct MessageContent {
    var body: [UInt8]
    var headers: AMQPTable = [:]
    var contentType: String?
    var messageID: String?
    var correlationID: String?
    var timestamp: UInt64?

    init(_ message: amqp_message_t) {
        body = CCopy.bytes(message.body)
        let properties = message.properties
        let flags = properties._flags
        func has(_ flag: Int32) -> Bool { flags & amqp_flags_t(flag) != 0 }
        if has(AMQP_BASIC_HEADERS_FLAG) { headers = CCopy.table(properties.headers) }
        if has(AMQP_BASIC_CONTENT_TYPE_FLAG) { contentType = CCopy.string(properties.content_type) }
        if has(AMQP_BASIC_MESSAGE_ID_FLAG) { messageID = CCopy.string(properties.message_id) }
        if has(AMQP_BASIC_CORRELATION_ID_FLAG) { correlationID = CCopy.string(properties.correlation_id) }
        if has(AMQP_BASIC_TIMESTAMP_FLAG) { timestamp = properties.timestamp }
    }
}
