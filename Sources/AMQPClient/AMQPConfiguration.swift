/// How a connection reaches the broker and behaves when the link breaks.
public struct AMQPConfiguration: Sendable {
    public var url: AMQPURL
    /// Shown in the management UI's connection list.
    public var connectionName: String
    /// Heartbeat interval agreed with the broker; a connection that hears
    /// nothing for two intervals is declared lost.
    public var heartbeat: Duration
    public var connectTimeout: Duration
    /// How long a declaration or other request waits for the broker's reply.
    public var rpcTimeout: Duration
    public var reconnect: ReconnectPolicy
    /// How long `publish` and other requests wait for a lost connection to
    /// come back before failing with `.notConnected`.
    public var reconnectWait: Duration

    public init(url: AMQPURL, connectionName: String, heartbeat: Duration = .seconds(10),
                connectTimeout: Duration = .seconds(5), rpcTimeout: Duration = .seconds(30),
                reconnect: ReconnectPolicy = ReconnectPolicy(), reconnectWait: Duration = .seconds(30)) {
        self.url = url
        self.connectionName = connectionName
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
        self.rpcTimeout = rpcTimeout
        self.reconnect = reconnect
        self.reconnectWait = reconnectWait
    }
}
