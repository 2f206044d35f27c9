// swift-tools-version: 6.2
import PackageDescription

// A libFuzzer target over the LoRaWAN decoders. Not part of the root package: it only links with the
// libFuzzer runtime, whose driver Sources/FuzzerEntry starts:
//
//     swift build -c debug --package-path Fuzz \
//         -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// `scripts/fuzz [SECONDS]` builds and runs it. `.build/` and `corpus/` here are git-ignored; `seeds/`
// is the committed starting corpus.
let package = Package(
    name: "GatehouseFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The name lets the product reference below work whatever the clone's directory is called
        // (a path dependency's identity is otherwise its directory name).
        .package(name: "Gatehouse", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "LoRaWANFuzzer",
            dependencies: ["FuzzerEntry", .product(name: "LoRaWAN", package: "Gatehouse")],
            swiftSettings: [
                .treatAllWarnings(as: .error),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
        // The C entry point SwiftPM's linker flags expect (see Sources/FuzzerEntry/entry.c).
        .target(name: "FuzzerEntry"),
    ]
)
