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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // The C libraries. Only AMQPClient and RedisClient import them. hiredis's
        // pkg-config file adds -D_FILE_OFFSET_BITS=64, a flag SwiftPM refuses, so
        // its shim includes <hiredis/hiredis.h> from the system path instead.
        .systemLibrary(
            name: "CRabbitMQ", pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(name: "CHiredis"),

        // A serial executor on a dedicated OS thread: where blocking C calls run.
        .target(name: "ConnectionThread"),
        .target(
            name: "AMQPClient",
            dependencies: [
                "CRabbitMQ", "ConnectionThread",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "RedisClient",
            dependencies: [
                "CHiredis", "ConnectionThread",
                .product(name: "Logging", package: "swift-log"),
            ]),

        // The domain: orders, money, statuses, validation. Pure Swift, no I/O.
        .target(name: "OMSDomain"),

        .executableTarget(
            name: "oms",
            dependencies: [
                "AMQPClient", "RedisClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "ClientBench",
            dependencies: [
                "AMQPClient", "RedisClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "OMSDomainTests", dependencies: ["OMSDomain"]),
        .testTarget(name: "ConnectionThreadTests", dependencies: ["ConnectionThread"]),
        .testTarget(name: "AMQPClientTests", dependencies: ["AMQPClient"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["AMQPClient", "RedisClient"]),
    ],
    swiftLanguageModes: [.v6]
)
