import ArgumentParser
import CLISupport
import OMSHTTP
import OMSSettings

/// `oms serve`: the HTTP server (OMSHTTP); this verb only reads its options.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP server: API, Shopify and WooCommerce webhooks, dashboard, returns portal.",
        discussion: """
            Secrets come from the environment only, so they never show in a process list: OMS_API_KEYS \
            (comma-separated keys for Authorization: Bearer on /api/v1), OMS_SHOPIFY_SECRET and \
            OMS_WOOCOMMERCE_SECRET (the webhooks' HMAC keys), OMS_ADMIN_PASSWORD (the dashboard's \
            sign-in). A part whose secret is not set answers 401 to everything. The order page links \
            the labels and packing slips the workers wrote under OMS_DOCUMENTS_DIR (default \
            oms-documents). SIGTERM or SIGINT stops the server gracefully: it stops accepting, ends the \
            event streams, finishes the requests in flight, then closes its connections. See openapi.yaml \
            for the API and README.md (HTTP) for the dashboard and the returns portal.

            Examples:
              OMS_API_KEYS=key1 oms serve --port 8080
              curl -H 'Authorization: Bearer key1' localhost:8080/api/v1/orders?status=shipped
            """)

    @OptionGroup var servers: ServerOptions

    @Option(help: ArgumentHelp(OMSSetting.httpPort.help)) var port: String?

    @Option(help: "Address to listen on; 0.0.0.0 for every interface.")
    var host = "127.0.0.1"

    func validate() throws {
        do {
            _ = try OMSSetting.httpPort.value(flag: port, flagName: "port")
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        try await CLI.run(servers) {
            let amqp = try await servers.amqp("serve")
            let redis = try await servers.redis()
            let configuration = ServeConfiguration(
                host: host, port: try OMSSetting.httpPort.value(flag: port),
                apiKeys: ServeConfiguration.apiKeys(from: try OMSSetting.apiKeys.value()),
                shopifySecret: try OMSSetting.shopifySecret.value(),
                wooCommerceSecret: try OMSSetting.wooCommerceSecret.value(),
                adminPassword: try OMSSetting.adminPassword.value(),
                documentsDirectory: try OMSSetting.documentsDirectory.value())
            let server = try HTTPServer(configuration: configuration, amqp: amqp, redis: redis)
            try await server.run { port in printError("oms serve listening on http://\(host):\(port)") }
            await amqp.close()
            await redis.close()
        }
    }
}
