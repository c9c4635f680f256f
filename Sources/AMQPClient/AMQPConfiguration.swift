/// How a connection reaches the broker and behaves when the link breaks.
public struct AMQPConfiguration: Sendable {
    /// The broker's nodes (one, or those of a cluster): the connection opens
    /// on the first that answers and, when lost, moves on to the next.
    public var urls: [AMQPURL]
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
    /// With several nodes, the least wait before opening on another one
    /// after a loss: the cluster takes about that long to see the node gone
    /// and elect new quorum queue leaders, and a channel opened sooner (0.1 s
    /// after a kill -9, RabbitMQ 3.10) had every publish to such a queue
    /// nacked for minutes; opened 3 s later, none.
    public var failoverDelay: Duration

    public init(url: AMQPURL, connectionName: String, heartbeat: Duration = .seconds(10),
                connectTimeout: Duration = .seconds(5), rpcTimeout: Duration = .seconds(30),
                reconnect: ReconnectPolicy = ReconnectPolicy(), reconnectWait: Duration = .seconds(30)) {
        self.init(urls: [url], connectionName: connectionName, heartbeat: heartbeat, connectTimeout: connectTimeout,
                  rpcTimeout: rpcTimeout, reconnect: reconnect, reconnectWait: reconnectWait)
    }

    /// `urls` must not be empty.
    public init(urls: [AMQPURL], connectionName: String, heartbeat: Duration = .seconds(10),
                connectTimeout: Duration = .seconds(5), rpcTimeout: Duration = .seconds(30),
                reconnect: ReconnectPolicy = ReconnectPolicy(), reconnectWait: Duration = .seconds(30),
                failoverDelay: Duration = .seconds(3)) {
        precondition(!urls.isEmpty, "a connection needs a broker node")
        self.failoverDelay = failoverDelay
        self.urls = urls
        self.connectionName = connectionName
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
        self.rpcTimeout = rpcTimeout
        self.reconnect = reconnect
        self.reconnectWait = reconnectWait
    }
}
