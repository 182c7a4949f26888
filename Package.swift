// swift-tools-version:6.0
import PackageDescription

/// Settings every target shares: Swift 6 mode plus the upcoming features that keep APIs honest.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The executables allocate through jemalloc: the simulation makes millions of small,
/// short-lived allocations (Lua tables and strings, Swift dictionaries) and glibc's
/// allocator was a fifth of a grading run. `make setup` installs `libjemalloc-dev`.
let fastAllocator: [LinkerSetting] = [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "labengine",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "labengine", targets: ["labengine"]),
        .library(name: "LabEngine", targets: ["LabEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .target(name: "LuaShim", dependencies: ["CLua"]),
        .target(name: "DocumentModel", swiftSettings: swiftSettings),
        .target(
            name: "LuaBridge",
            dependencies: ["CLua", "LuaShim", "DocumentModel"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CloudSim",
            dependencies: [
                "DocumentModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LabEngine",
            dependencies: [
                "DocumentModel", "LuaBridge", "CloudSim",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "labengine",
            dependencies: [
                "LabEngine", "CloudSim", "DocumentModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: fastAllocator
        ),
        .executableTarget(
            name: "labengine-bench",
            dependencies: ["CloudSim", "DocumentModel", "LabEngine", "LuaBridge"],
            path: "Benchmarks/labengine-bench",
            swiftSettings: swiftSettings,
            linkerSettings: fastAllocator
        ),
        .testTarget(name: "DocumentModelTests", dependencies: ["DocumentModel"], swiftSettings: swiftSettings),
        .testTarget(name: "LuaBridgeTests", dependencies: ["LuaBridge"], swiftSettings: swiftSettings),
        .testTarget(name: "CloudSimTests", dependencies: ["CloudSim"], swiftSettings: swiftSettings),
        .testTarget(name: "LabEngineTests", dependencies: ["LabEngine", "CloudSim", "DocumentModel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LabengineCLITests",
            dependencies: ["labengine"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
