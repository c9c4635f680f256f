// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "oms",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AMQPClient", targets: ["AMQPClient"]),
        .library(name: "RedisClient", targets: ["RedisClient"]),
        .executable(name: "oms", targets: ["oms"]),
        .executable(name: "oms-client-bench", targets: ["ClientBench"]),
        // Preloaded into the workers that `oms bench --instructions` runs under valgrind.
        .library(name: "oms-callgrind-shim", type: .dynamic, targets: ["CallgrindShim"]),
        .executable(name: "oms-capture", targets: ["oms-capture"]),
        .executable(name: "oms-payment", targets: ["oms-payment"]),
        .executable(name: "oms-pick", targets: ["oms-pick"]),
        .executable(name: "oms-ship", targets: ["oms-ship"]),
        .executable(name: "oms-notify", targets: ["oms-notify"]),
        .executable(name: "oms-return", targets: ["oms-return"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // The C libraries. Only AMQPClient, RedisClient and SMTPClient import them. hiredis's
        // pkg-config file adds -D_FILE_OFFSET_BITS=64, a flag SwiftPM refuses, so
        // its shim includes <hiredis/hiredis.h> from the system path instead.
        .systemLibrary(
            name: "CRabbitMQ", pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(name: "CHiredis"),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // A serial executor on a dedicated OS thread: where blocking C calls run.
        .target(name: "ConnectionThread"),
        // Percent-decoding and digits of server URLs, shared by the client layers.
        .target(name: "URLText"),
        .target(
            name: "AMQPClient",
            dependencies: [
                "CRabbitMQ", "ConnectionThread", "URLText",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "RedisClient",
            dependencies: [
                "CHiredis", "ConnectionThread", "URLText",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "SMTPClient", dependencies: ["CCurl", "ConnectionThread", "URLText", .product(name: "Logging", package: "swift-log")]),

        // The domain: orders, money, statuses, validation. Pure Swift, no I/O.
        .target(name: "OMSDomain"),
        // Every OMS_* setting: its variable, default, valid values; read once, validated at start.
        .target(name: "OMSSettings", dependencies: ["OMSDomain"]),
        // Every public name of DESIGN.md: exchanges, queues, routing keys, headers, Redis keys.
        .target(name: "OMSContract", dependencies: ["OMSDomain"]),
        .target(name: "OMSStore", dependencies: ["OMSDomain", "OMSContract", "RedisClient"], resources: [.embedInCode("Scripts")]),
        // Shipping labels, packing slips and picklists as PDF (and CSV) bytes. Pure Swift, no I/O.
        .target(name: "Documents", dependencies: ["OMSDomain", "Fulfilment"]),
        .target(name: "Fulfilment", dependencies: ["OMSDomain"], resources: [.embedInCode("Defaults")]),
        .target(name: "Notifications", dependencies: ["OMSDomain", .product(name: "Mustache", package: "swift-mustache")], resources: [.embedInCode("Templates")]),

        // consume → handle → publish → confirm → ack, retries, dead letters, shutdown.
        .target(
            name: "WorkerRuntime",
            dependencies: [
                "AMQPClient", "RedisClient", "OMSDomain", "OMSContract", "OMSSettings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),

        // Each stage's handler and the decisions it runs, over the store protocols (OrderRecords, StockLedger…).
        .target(
            name: "Stages",
            dependencies: [
                "WorkerRuntime", "OMSStore", "OMSDomain", "OMSContract", "Fulfilment", "Documents", "Notifications",
                "SMTPClient", "RedisClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),

        // Runs N copies of each worker on this machine, restarting the ones that die.
        .target(name: "Supervision"),

        // What the oms verbs share with the libraries behind them: one-line
        // errors, console and table output, server options, scripts/services,
        // starting a cluster.
        .target(
            name: "CLISupport",
            dependencies: [
                "AMQPClient", "RedisClient", "Supervision", "OMSSettings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // `oms demo`: a sales peak of sample orders through the cluster, and its summary.
        .target(
            name: "OMSDemo",
            dependencies: [
                "AMQPClient", "RedisClient", "Supervision", "OMSStore", "OMSDomain", "OMSContract", "OMSSettings",
                "WorkerRuntime", "CLISupport",
            ]),
        // A sigsuspend() valgrind 3.19 can run libdispatch's main thread with (see its source).
        .target(name: "CallgrindShim", publicHeadersPath: "."),
        // `oms bench`: the end-to-end benchmark, its checks, its peers, instructions per order.
        .target(
            name: "OMSBench",
            dependencies: [
                "CLISupport", "AMQPClient", "RedisClient", "SMTPClient", "OMSStore", "OMSDomain", "OMSContract",
                "OMSSettings", "WorkerRuntime",
                "Supervision", .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]),

        // `oms chaos`: a flow of orders under faults, judged by a history checker.
        .target(
            name: "OMSChaos",
            dependencies: ["CLISupport", "AMQPClient", "RedisClient", "SMTPClient", "OMSStore", "OMSDomain",
                           "OMSContract", "WorkerRuntime", "Supervision"]),

        // `oms serve`: the HTTP API, channel webhooks, dashboard and returns portal.
        .target(
            name: "OMSHTTP",
            dependencies: [
                "AMQPClient", "RedisClient", "OMSStore", "OMSDomain", "OMSContract", "OMSSettings", "WorkerRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("Templates")]),

        .executableTarget(
            name: "oms",
            dependencies: [
                "Supervision", "AMQPClient", "RedisClient", "OMSStore", "OMSDomain", "OMSContract", "OMSSettings",
                "WorkerRuntime", "CLISupport", "OMSBench", "OMSChaos", "OMSHTTP", "OMSDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The six workers, one executable per stage (workers/<stage>/main.swift: settings, stores, handler).
        .executableTarget(name: "oms-capture",
                          dependencies: ["Stages", "OMSSettings", "WorkerRuntime", "OMSStore", "OMSDomain", "OMSContract",
                                         "Fulfilment"],
                          path: "workers/capture"),
        .executableTarget(name: "oms-payment", dependencies: ["Stages", "OMSSettings", "WorkerRuntime", "OMSStore"],
                          path: "workers/payment"),
        .executableTarget(name: "oms-pick",
                          dependencies: ["Stages", "OMSSettings", "WorkerRuntime", "OMSStore", "Fulfilment"],
                          path: "workers/pick"),
        .executableTarget(name: "oms-ship",
                          dependencies: ["Stages", "OMSSettings", "WorkerRuntime", "OMSStore", "Fulfilment"],
                          path: "workers/ship"),
        .executableTarget(name: "oms-notify",
                          dependencies: ["Stages", "OMSSettings", "WorkerRuntime", "OMSStore", "Notifications",
                                         "SMTPClient"],
                          path: "workers/notify"),
        .executableTarget(name: "oms-return", dependencies: ["Stages", "WorkerRuntime", "OMSStore"],
                          path: "workers/return"),

        .executableTarget(
            name: "ClientBench",
            dependencies: [
                "AMQPClient", "RedisClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "bench/ClientBench"),

        .target(name: "TestSupport", dependencies: ["Supervision"], path: "Tests/TestSupport"),
        .testTarget(name: "OMSDomainTests", dependencies: ["OMSDomain", "TestSupport"]),
        .testTarget(name: "OMSStoreTests", dependencies: ["OMSStore"]),
        .testTarget(name: "OMSContractTests", dependencies: ["OMSContract", "OMSDomain"]),
        .testTarget(name: "OMSSettingsTests", dependencies: ["OMSSettings", "OMSDomain"]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "Fulfilment", "OMSDomain"]),
        .testTarget(name: "FulfilmentTests", dependencies: ["Fulfilment", "OMSDomain"]),
        .testTarget(name: "NotificationsTests", dependencies: ["Notifications", "OMSDomain", "TestSupport"]),
        // The `oms` executable's own code (its input readers), imported @testable.
        .testTarget(name: "OMSCommandTests", dependencies: ["oms", "OMSDomain"]),
        // What each libFuzzer target checks (fuzz/run links these files), and its kept crashers replayed.
        .testTarget(name: "FuzzTargetTests",
                    dependencies: ["oms", "OMSDomain", "OMSContract", "AMQPClient", "WorkerRuntime", "Notifications"]),
        .testTarget(name: "WorkerRuntimeTests", dependencies: ["WorkerRuntime", "AMQPClient", "RedisClient", "OMSDomain",
                                                          "OMSContract", "OMSSettings",
                                                          .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "StagesTests", dependencies: ["Stages", "OMSStore", "OMSDomain", "OMSContract", "WorkerRuntime",
                                                     "Fulfilment", "Notifications", "SMTPClient", "RedisClient",
                                                     .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ConnectionThreadTests", dependencies: ["ConnectionThread"]),
        .testTarget(name: "AMQPClientTests", dependencies: ["AMQPClient"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient"]),
        .testTarget(name: "SMTPClientTests", dependencies: ["SMTPClient"]),
        .testTarget(name: "SupervisionTests", dependencies: ["Supervision"]),
        .testTarget(name: "OMSBenchTests", dependencies: ["OMSBench"]),
        .testTarget(name: "OMSChaosTests", dependencies: ["OMSChaos", "OMSDomain"]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(
            name: "OMSHTTPTests",
            dependencies: ["OMSHTTP", "AMQPClient", "RedisClient", "OMSStore", "OMSDomain", "OMSContract", "WorkerRuntime",
                           "TestSupport",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["AMQPClient", "RedisClient", "OMSStore", "OMSDomain", "OMSContract", "WorkerRuntime", "SMTPClient",
                           "Supervision", "Fulfilment", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
