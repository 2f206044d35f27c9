// swift-tools-version: 6.2
import PackageDescription

/// Every first-party Swift target: Swift 6 mode, strict concurrency, and warnings are defects.
let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Gatehouse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
        .library(name: "LoRaWAN", targets: ["LoRaWAN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
    ],
    targets: [
        // AES-128 with a key schedule that is expanded once per key (AES-NI when the CPU has it).
        // swift-crypto only offers a per-call key expansion for single blocks, which costs more
        // than the block itself on the per-frame path.
        .target(name: "CAESBlock"),
        .target(
            name: "LoRaWAN",
            dependencies: [
                "CAESBlock",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Batches concurrent writes into one transaction each (Gateway PKI issuances, Join Server nonces).
        .target(name: "GroupCommit", swiftSettings: strict),
        // The strict JSON parser, value and writer shared by the Basics Station codec (GatewayServer)
        // and the Backend Interfaces codec: a module of its own, with no I/O, so that neither role
        // module carries a copy and BackendInterfaces stays free of gateway code.
        .target(name: "StrictJSON", swiftSettings: strict),
        .target(
            name: "GatewayPKI",
            dependencies: [
                "LoRaWAN",
                "GroupCommit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Storage",
            dependencies: [
                "LoRaWAN",
                "GatewayPKI",
                "JoinServer",
                "NetworkServer",
                "ApplicationServer",
                "BackendInterfaces",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BackendInterfaces",
            dependencies: [
                "LoRaWAN",
                "StrictJSON",
                // The HTTP client of the Backend Interfaces (`HTTPJoinService`) lives beside the messages.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "JoinServer",
            dependencies: [
                "LoRaWAN",
                "GroupCommit",
                "BackendInterfaces",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "NetworkServer",
            dependencies: [
                "LoRaWAN",
                "BackendInterfaces",
                "GroupCommit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ApplicationServer",
            dependencies: [
                "LoRaWAN",
                "BackendInterfaces",
                "GroupCommit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "GatewayServer",
            dependencies: [
                "LoRaWAN",
                "GatewayPKI",
                "BackendInterfaces",
                "StrictJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // A LoRa Basics Station as a client: CUPS and LNS over mutual TLS. Tests, `gatehouse simulate`
        // and the benchmarks drive the gateway server with it.
        .target(
            name: "StationSimulator",
            dependencies: [
                "LoRaWAN",
                "GatewayServer",
                "BackendInterfaces",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "GatehouseServer",
            dependencies: [
                "LoRaWAN",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                "GatewayPKI",
                "GatewayServer",
                "BackendInterfaces",
                "JoinServer",
                "NetworkServer",
                "ApplicationServer",
                "StationSimulator",
                "Storage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "gatehouse",
            dependencies: [
                "GatehouseServer",
                "GatewayPKI",
                "JoinServer",
                "NetworkServer",
                "ApplicationServer",
                "BackendInterfaces",
                "StationSimulator",
                "Storage",
                "LoRaWAN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The published LoRaWAN test vectors, loaded once for every test target that checks against them.
        .target(name: "ReferenceVectors", dependencies: ["LoRaWAN"], path: "Tests/ReferenceVectors", swiftSettings: strict),
        .testTarget(
            name: "LoRaWANTests",
            dependencies: [
                "ReferenceVectors",
                "LoRaWAN",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StrictJSONTests",
            dependencies: [
                "StrictJSON",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GatewayPKITests",
            dependencies: [
                "GatewayPKI",
                "LoRaWAN",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage",
                "GatewayPKI",
                "JoinServer",
                "NetworkServer",
                "ApplicationServer",
                "BackendInterfaces",
                "LoRaWAN",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BackendInterfacesTests",
            dependencies: [
                "BackendInterfaces",
                "LoRaWAN",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "JoinServerTests",
            dependencies: [
                "JoinServer",
                "BackendInterfaces",
                "LoRaWAN",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "NetworkServerTests",
            dependencies: ["NetworkServer", "BackendInterfaces", "LoRaWAN", "ReferenceVectors", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ApplicationServerTests",
            dependencies: ["ApplicationServer", "BackendInterfaces", "LoRaWAN", "ReferenceVectors", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GatewayServerTests",
            dependencies: [
                "StrictJSON",
                "GatewayServer",
                "BackendInterfaces",
                "StationSimulator",
                "GatewayPKI",
                "LoRaWAN",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StationSimulatorTests",
            dependencies: ["StationSimulator", "BackendInterfaces", "LoRaWAN", "ReferenceVectors"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GatehouseServerTests",
            dependencies: [
                "GatehouseServer",
                "JoinServer",
                "LoRaWAN",
                "GatewayPKI",
                "GatewayServer",
                "BackendInterfaces",
                "NetworkServer",
                "ApplicationServer",
                "StationSimulator",
                "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
    ]
)
