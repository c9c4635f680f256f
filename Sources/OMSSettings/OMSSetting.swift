import OMSDomain

/// Every setting of every oms process, in one place: the name of its
/// variable, its default and what a valid value is. Processes read them with
/// `Setting.value(flag:in:)`; `--help` shows them; `OMSSetting.warnings`
/// finds a variable that is probably a misspelt one of them.
public enum OMSSetting {
    // The servers.
    public static let amqpURL = Setting.url(
        "OMS_AMQP_URL", "RabbitMQ URL", default: "amqp://guest:guest@127.0.0.1:5672/%2F", schemes: ["amqp", "amqps"])
    public static let redisURL = Setting.url(
        "OMS_REDIS_URL", "Redis URL", default: "redis://127.0.0.1:6379/0", schemes: ["redis"])
    public static let smtpURL = Setting.url(
        "OMS_SMTP_URL", "SMTP server URL", default: "smtp://127.0.0.1:1025", schemes: ["smtp", "smtps"])

    // Every worker.
    public static let prefetch = Setting.integer(
        "OMS_PREFETCH", "Messages in flight at once", default: 50, in: 1...65_535)
    public static let shutdownGrace = Setting.integer(
        "OMS_SHUTDOWN_GRACE", "Seconds to finish in-flight messages after SIGTERM before giving up",
        default: 20, in: 0...3_600)
    public static let livenessFile = Setting.optional(
        "OMS_LIVENESS_FILE", "A file the worker touches every second while it runs (oms cluster's supervisor sets it)")
    public static let livenessTimeout = Setting.integer(
        "OMS_LIVENESS_TIMEOUT", "Seconds a copy under oms cluster may leave its liveness file untouched before "
            + "it is killed and started again (0: never)", default: 30, in: 0...3_600)
    public static let metricsPort = Setting<Int?>(
        "OMS_METRICS_PORT", "Serve Prometheus metrics at http://HOST:PORT/metrics", default: nil, shown: "off",
        expected: "a port from 1 to 65535") { text -> Int?? in
            guard let port = Int(text), (1...65_535).contains(port) else { return .none }
            return .some(port)
        }
    public static let metricsHost = Setting.text(
        "OMS_METRICS_HOST", "Address the metrics endpoint listens on", default: "127.0.0.1")
    public static let logLevel = Setting<String>(
        "OMS_LOG_LEVEL", "How much to log", default: "info", shown: "info",
        expected: "one of " + logLevels.joined(separator: ", ")) { logLevels.contains($0) ? $0 : nil }
    public static let retryDelays = Setting<[Int]?>(
        "OMS_RETRY_DELAYS_MS", "Retry delays for transient failures in ms, comma-separated", default: nil,
        shown: "1000,5000,30000; longer for oms-notify",
        expected: "milliseconds separated by commas, e.g. 1000,5000,30000") { text in
            let delays = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !delays.isEmpty, delays.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
            return delays.compactMap { $0 }
        }
    public static let retention = Setting<Retention>(
        "OMS_RETENTION", "How long orders are kept once rejected, cancelled, refunded or delivered", default: .standard,
        shown: "30d", expected: "a whole number with s, m, h or d, at most 36500d, e.g. 30d, 12h, 3600s; 0 keeps orders",
        parse: Retention.init)

    // Fulfilment: capture, pick and ship.
    public static let documentsDirectory = Setting.text(
        "OMS_DOCUMENTS_DIR", "Folder for labels, packing slips and picklists", default: "oms-documents")
    public static let rateTable = Setting.optional("OMS_RATE_TABLE", "The carrier's rate table (JSON)")
    public static let routingRules = Setting.optional("OMS_ROUTING_RULES", "Warehouse routing rules (JSON)")
    public static let holdRules = Setting.optional("OMS_HOLD_RULES", "Rules that put orders on hold (JSON)")
    public static let pickWindow = Setting.integer(
        "OMS_PICK_WINDOW_MS", "Orders within one window of this many ms share a picklist", default: 2_000,
        in: 1...3_600_000)
    public static let picklistMostOrders = Setting.integer(
        "OMS_PICKLIST_MAX_ORDERS", "Most orders on one picklist", default: 50, in: 1...10_000)
    public static let gatewayLatency = Setting.integer(
        "OMS_GATEWAY_LATENCY_MS", "Added latency of the sandbox payment gateway, in ms", default: 0,
        in: 0...60_000)

    // Notify.
    public static let templates = Setting.optional("OMS_TEMPLATES", "Folder of email template overrides")
    public static let mailFrom = Setting.text("OMS_MAIL_FROM", "Sender address of emails", default: "orders@oms.example")
    public static let mailFromName = Setting.text("OMS_MAIL_FROM_NAME", "Sender name of emails", default: "oms")
    public static let mailReplyTo = Setting.optional("OMS_MAIL_REPLY_TO", "Reply-To address of emails",
                                                  expected: "an email address")
    public static let trackingLink = Setting.optional(
        "OMS_TRACKING_LINK", "Tracking link pattern with {carrier} and {tracking_number}", expected: "a URL pattern")
    public static let smtpTimeout = Setting.integer(
        "OMS_SMTP_TIMEOUT", "Seconds one send may take, greeting to the server's final reply", default: 30,
        in: 1...600)
    public static let smtpConnections = Setting.integer(
        "OMS_SMTP_CONNECTIONS", "SMTP connections kept open per oms-notify", default: 4, in: 1...64)

    // oms serve.
    public static let httpPort = Setting.integer(
        "OMS_HTTP_PORT", "Port oms serve listens on (0: any free port)", default: 8080, in: 0...65_535)
    public static let apiKeys = Setting.text(
        "OMS_API_KEYS", "API keys for Authorization: Bearer, comma-separated (none: the API answers 401)",
        default: "", secret: true)
    public static let shopifySecret = Setting.text(
        "OMS_SHOPIFY_SECRET", "The Shopify webhooks' HMAC key (none: they answer 401)", default: "", secret: true)
    public static let wooCommerceSecret = Setting.text(
        "OMS_WOOCOMMERCE_SECRET", "The WooCommerce webhooks' HMAC key (none: they answer 401)", default: "",
        secret: true)
    public static let adminPassword = Setting.text(
        "OMS_ADMIN_PASSWORD", "The dashboard's sign-in password (none: sign-in refused)", default: "", secret: true)

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Each setting above, for `--help` listings and the check of misspelt names.
    public static let all: [any DescribedSetting] = [
        amqpURL, redisURL, smtpURL, prefetch, shutdownGrace, livenessFile, livenessTimeout, metricsPort, metricsHost,
        logLevel, retryDelays,
        retention, documentsDirectory, rateTable, routingRules, holdRules, pickWindow, picklistMostOrders,
        gatewayLatency, templates, mailFrom, mailFromName, mailReplyTo, trackingLink, smtpConnections, smtpTimeout,
        httpPort, apiKeys, shopifySecret, wooCommerceSecret, adminPassword,
    ]

    /// The settings a worker reads beyond every worker's (servers, prefetch,
    /// logging, retries, retention), by stage (`capture`, `pick`…).
    public static func readBy(stage: String) -> [any DescribedSetting] {
        let fulfilment: [any DescribedSetting] = [documentsDirectory, rateTable, routingRules]
        return switch stage {
        case "capture": fulfilment + [holdRules]
        case "payment": [gatewayLatency]
        case "pick": fulfilment + [pickWindow, picklistMostOrders]
        case "ship": fulfilment
        case "notify": [smtpURL, smtpTimeout, smtpConnections, mailFrom, mailFromName, mailReplyTo, templates, trackingLink]
        default: []
        }
    }

    /// Read by scripts/services, scripts/run-tests, the test harness and
    /// failpoints, not by a process's settings.
    public static let otherVariables: Set<String> = [
        "OMS_TEST_TIME_LIMIT", "OMS_STATE_DIR", "OMS_AMQP_PORT", "OMS_AMQPS_PORT", "OMS_REDIS_PORT", "OMS_SMTP_PORT", "OMS_SMTP_SINK_PORT",
        "OMS_SMTP_SINK_URL", "OMS_RABBITMQ_DIST_PORT", "OMS_EPMD_PORT", "OMS_MAIL_DIR", "OMS_FAILPOINT",
        "OMS_CLUSTER_DIR", "OMS_SERVICES_LOCKED", "OMS_PEERS_DIR", "OMS_CLUSTER_AMQP_PORT", "OMS_CLUSTER_DIST_PORT",
        "OMS_CLUSTER_REDIS_PORT",
    ]

    public static var knownVariables: Set<String> { Set(all.map(\.variable)).union(otherVariables) }

    /// One line per `OMS_*` variable of the environment that no oms process
    /// reads, naming the known variable it most resembles.
    public static func warnings(in environment: Environment = .current) -> [String] {
        let known = knownVariables
        return environment.values.keys.filter { $0.hasPrefix("OMS_") && !known.contains($0) }.sorted().map { name in
            let nearest = known.min { EditDistance.between(name, $0) < EditDistance.between(name, $1) }
            let hint = nearest.map { EditDistance.between(name, $0) <= 3 ? "; did you mean \($0)?" : "" } ?? ""
            return "\(name) is set but no oms setting has that name\(hint)"
        }
    }
}

/// What listings need of a setting, whatever its value's type.
public protocol DescribedSetting: Sendable {
    var variable: String { get }
    var help: String { get }
    var listing: String { get }
    func check(in environment: Environment) throws(SettingError)
}

extension Setting: DescribedSetting {}
