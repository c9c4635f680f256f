import AMQPClient
import CLISupport
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import SMTPClient
import Supervision
import WorkerRuntime

/// `oms chaos`: a flow of orders through a cluster of its own on the local
/// services, one phase per fault. In each phase the checker publishes its
/// orders, injects the fault half way, waits until every order has settled,
/// and judges the phase from what it recorded and what Redis and the mail
/// sink hold (`ChaosOracle`).
public struct Chaos {
    public var orders = 20_000
    /// Orders per second.
    public var rate = 200
    public var skus = 20
    public var cancelEvery = 20
    public var faults = ChaosFault.allCases
    /// How long a fault that lasts (a hang, an alarm, OOM, mail away) lasts.
    public var hold: Duration = .seconds(10)
    /// How long a partition lasts: long enough for the workers' heartbeats
    /// (10 s) and Redis command timeouts to notice it.
    public var partitionHold: Duration = .seconds(20)
    /// How long a phase may go without an order settling before it is judged stuck.
    public var stallLimit: Duration = .seconds(90)
    public var json = false
    public var directory: ClusterDirectory
    public var binDirectory: String

    public init(directory: ClusterDirectory, binDirectory: String) {
        self.directory = directory
        self.binDirectory = binDirectory
    }

    /// True when every phase held; prints a verdict per fault and, under
    /// `json`, one JSON object last.
    public func run() async throws -> Bool {
        let console = Console(json: json)
        guard let script = LocalServices.locate() else {
            throw CLIError("oms chaos restarts the local servers with scripts/services; run it from the checkout")
        }
        try await LocalServices.up(["rabbitmq", "redis", "smtp"], console: console)
        let local = try await LocalServices.environment()
        for name in ["OMS_AMQP_URL", "OMS_REDIS_URL"] { setenv(name, local[name] ?? "", 1) }
        guard let mailDirectory = local["OMS_MAIL_DIR"], let smtp = local["OMS_SMTP_URL"] else {
            throw CLIError("`scripts/services env` names no OMS_MAIL_DIR or OMS_SMTP_URL: the checker reads the mail it stores")
        }
        let servers = try ServerOptions.parse([])
        let redis = try await servers.redis()
        let amqp = try await servers.amqp("chaos")
        try await amqp.declare(Topology.declaration(retry: try .configured()))
        let run = String(format: "%04x", UInt16.random(in: .min ... .max))
        let record = ChaosRecord()
        let listener = try await listen(run: run, amqp: amqp, record: record)
        let deadListener = try await listenToDeadLetters(run: run, amqp: amqp, record: record)

        let scale = Dictionary(uniqueKeysWithValues: Stage.allCases.map { ($0.rawValue, 1) })
        let network = faults.contains(where: \.isPartition)
            ? try await workersNetwork(servers: servers, smtp: smtp, services: script, console: console) : nil
        var launcher = ClusterLauncher(servers: servers, directory: directory, binDirectory: binDirectory, grace: 15,
                                       environment: ["OMS_SMTP_URL": smtp], say: console.say)
        if let network {
            launcher.servers = try ServerOptions.parse([
                "--amqp-url", network.url(servers.amqpURL, through: "amqp"),
                "--redis-url", network.url(servers.redisURL, through: "redis"),
            ])
            launcher.environment["OMS_SMTP_URL"] = network.url(smtp, through: "smtp")
            launcher.commandPrefix = network.commandPrefix
        }
        let signals = ClusterLauncher.stoppingOnSignals(directory)
        defer { signals.forEach { $0.cancel() } }
        var verdicts: [ChaosVerdict] = []
        do {
            try launcher.start(scale)
            try await ClusterLauncher.waitForConsumers(scale, servers: servers, directory: directory,
                                                       timeout: .seconds(60))
            let injector = FaultInjector(directory: directory, redis: redis, services: script, hold: hold,
                                         network: network, partitionHold: partitionHold, say: console.say)
            for (index, fault) in faults.enumerated() {
                let share = orders / faults.count + (index < orders % faults.count ? 1 : 0)
                let flow = ChaosFlow(phase: "\(run)-\(index + 1)", orders: max(1, share),
                                     skus: (0..<skus).map { "CH\(run.uppercased())-\(index + 1)-\($0)" }, rate: rate,
                                     cancelEvery: cancelEvery)
                let phase = ChaosPhase(flow: flow, fault: fault, record: record, redis: redis,
                                       mailDirectory: mailDirectory, stallLimit: stallLimit, console: console)
                let verdict = try await phase.run(amqp: amqp, injector: injector)
                console.say(verdict.line)
                verdicts.append(verdict)
            }
        } catch {
            console.say("stopping the checker's cluster (logs stay in \(directory.logDirectory))")
            try? await ClusterLauncher.stop(directory)
            await network?.stop()
            throw error
        }
        try await ClusterLauncher.stop(directory)
        await network?.stop()
        try? await listener.cancel()
        try? await deadListener.cancel()
        try? await amqp.delete(queue: Self.queue(run))
        try? await amqp.delete(queue: Self.queue(run) + ".dead")
        await amqp.close()
        await redis.close()
        let report = ChaosReport(verdicts: verdicts)
        if json { report.printJSON() } else { console.say(report.summary) }
        return report.ok
    }

    static func queue(_ run: String) -> String { "oms.chaos.\(run)" }

    /// A network namespace for the cluster, with a link to each local
    /// server, for the partition faults.
    private func workersNetwork(servers: ServerOptions, smtp: String, services: String, console: Console) async throws
        -> PartitionedNetwork {
        let ports = ["amqp": try AMQPURL(servers.amqpURL).port, "redis": try RedisURL(servers.redisURL).port,
                     "smtp": try SMTPURL(smtp).port]
        let relay = LocalServices.tcpRelay(besides: services)
        do {
            let network = try await PartitionedNetwork.start(ports, relay: relay)
            console.say("the cluster runs in network namespace \(network.namespace), linked to each server by a veth pair")
            return network
        } catch {
            throw CLIError("\(error)\nthe partition faults run the workers in a network namespace of their own; "
                + "run the checker as root, or leave them out with --faults")
        }
    }

    /// A durable queue of the checker's own on `oms.dead`, for the poison
    /// storm's messages and the reason each was dead-lettered with.
    private func listenToDeadLetters(run: String, amqp: AMQPConnection, record: ChaosRecord) async throws
        -> AMQPConsumer {
        let queue = Self.queue(run) + ".dead"
        try await amqp.declare(AMQPTopology(queues: [.init(queue)],
                                            bindings: [.init(queue: queue, exchange: Topology.dead, routingKey: "")]))
        let consumer = try await amqp.consume(queue: queue, prefetch: 1000)
        Task {
            for try await delivery in consumer {
                if let id = Self.poisonID(in: delivery.body) {
                    record.deadLettered(poison: id, reason: delivery.headers[Headers.error]?.string ?? "")
                }
                _ = try? await amqp.ack(delivery)
            }
        }
        return consumer
    }

    /// `poison-PHASE-N` where the body names one.
    static func poisonID(in body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard let start = text.range(of: "poison-") else { return nil }
        let id = text[start.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
        return String(id)
    }

    /// A durable queue of the checker's own on every order event: it outlives
    /// a broker restart, and the connection resumes consuming it.
    private func listen(run: String, amqp: AMQPConnection, record: ChaosRecord) async throws -> AMQPConsumer {
        let queue = Self.queue(run)
        try await amqp.declare(AMQPTopology(queues: [.init(queue)],
                                            bindings: [.init(queue: queue, exchange: Topology.events,
                                                             routingKey: "order.#")]))
        let consumer = try await amqp.consume(queue: queue, prefetch: 1000)
        Task {
            for try await delivery in consumer {
                if let event = try? OrderEvent.decode(delivery.body) {
                    record.observed(ObservedEvent(id: event.id, orderID: event.data.orderID,
                                                  status: event.data.status, version: event.data.version))
                }
                _ = try? await amqp.ack(delivery)
            }
        }
        return consumer
    }
}
