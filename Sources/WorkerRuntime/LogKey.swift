/// Log metadata keys, declared once (snake_case). Never log tokens, emails or passwords.
public enum LogKey {
    public static let stage = "stage"
    public static let orderID = "order_id"
    public static let messageID = "message_id"
    public static let routingKey = "routing_key"
    public static let attempt = "attempt"
    public static let sku = "sku"
    public static let error = "error"
    public static let traceID = "trace_id"
}

/// Metric names (swift-metrics), declared once.
public enum MetricName {
    /// Counter, dimensions stage and outcome (done, retry, dead_letter, requeued).
    public static let messages = "oms_messages_total"
    /// Timer, dimension stage: how long a handler took.
    public static let handleDuration = "oms_handle_duration_seconds"
}
