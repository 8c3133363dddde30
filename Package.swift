// swift-tools-version:6.0
// chronoterm — a terminal practice console for DrChrono practices.
// The module graph mirrors ../shared/DESIGN.md: each arrow there is a dependency here.
import PackageDescription

let package = Package(
    name: "chronoterm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chronoterm", targets: ["chronoterm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CNcursesw", pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]),
        .target(
            name: "DrChronoAPI",
            dependencies: [
                "CCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "DrChronoSandbox",
            dependencies: [
                "DrChronoAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Mirror",
            dependencies: ["DrChronoAPI", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "Sync",
            dependencies: [
                "DrChronoAPI", "Mirror",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The code sets a biller looks codes up in, shipped as data (ICD-10-CM, public domain).
        .target(name: "CodeSets", resources: [.copy("Resources/icd10cm-2026.tsv")]),
        // The practice's rules and jobs (book, check in, take a payment, charge, void …) as
        // typed operations over the mirror and its write queue: every surface asks it, none
        // writes SQL or builds a payload. It names GRDB's Database only to pass it to Mirror.
        .target(
            name: "Practice",
            dependencies: [
                "Mirror", "DrChronoAPI", "CodeSets", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        // The practice for AI agents over MCP: reads from the mirror, jobs through Practice.
        .target(
            name: "AgentDesk",
            dependencies: [
                "Mirror", "Practice", "DrChronoAPI", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "MCP", package: "swift-sdk"),
            ]),
        // The practice's data out: the change stream as CloudEvents, snapshots as CSV and JSON
        // lines, and a PostgreSQL warehouse kept current from the stream. Reads the mirror
        // through Mirror's event log and snapshots; writes SQL only to the warehouse.
        .target(
            name: "Export",
            dependencies: [
                "Mirror", "DrChronoAPI", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Console reads through Mirror's queries and writes through Practice's jobs; it never
        // imports GRDB or the network client's transport: it may name DrChronoAPI's model
        // types (Appointment, LocalDateTime …).
        .target(name: "Console", dependencies: ["Practice", "Mirror", "DrChronoAPI", "CodeSets"]),
        // Terminal draws the console's view state; it may name DrChronoAPI's model types
        // (an Appointment's time, a Patient's name) but reads no mirror and sends nothing.
        .target(name: "Terminal", dependencies: ["Console", "Practice", "DrChronoAPI", "CNcursesw"]),
        .executableTarget(
            name: "chronoterm",
            dependencies: [
                "DrChronoAPI", "DrChronoSandbox", "Mirror", "Sync", "Practice", "Console", "Terminal", "CodeSets", "AgentDesk", "Export",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // A sandbox started on a free loopback port, a client logged in to it, a clock shared
        // by several syncs: what the tests and the benchmarks drive the sandbox with.
        .target(name: "SandboxHarness", dependencies: ["DrChronoSandbox", "DrChronoAPI", "Mirror"]),
        // A whole clinic day of a practice at work, run on the sandbox clock and measured:
        // asserted in SyncTests, tabled for BENCHMARKS.md by chronoterm-bench.
        .target(
            name: "Measurements",
            dependencies: ["SandboxHarness", "Sync", "Mirror", "DrChronoAPI", "DrChronoSandbox", .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(
            name: "chronoterm-bench",
            dependencies: [
                "DrChronoAPI", "DrChronoSandbox", "Mirror", "Sync", "Console", "Terminal", "Measurements", "CodeSets", "AgentDesk", "Practice",
                "Export", "SandboxHarness", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "DrChronoAPITests", dependencies: ["DrChronoAPI", "DrChronoSandbox", "SandboxHarness"]),
        .testTarget(
            name: "DrChronoSandboxTests",
            dependencies: [
                "DrChronoSandbox", "DrChronoAPI", "SandboxHarness",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(name: "MirrorTests", dependencies: ["Mirror", "DrChronoAPI"]),
        .testTarget(name: "PracticeTests", dependencies: ["Practice", "Mirror", "DrChronoAPI", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CodeSetsTests", dependencies: ["CodeSets"]),
        .testTarget(
            name: "SyncTests",
            dependencies: ["Sync", "Mirror", "DrChronoAPI", "SandboxHarness", "Measurements", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "chronotermTests",
            dependencies: ["DrChronoAPI", "DrChronoSandbox", "Mirror", "SandboxHarness", "Export", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "ConsoleTestSupport",
            dependencies: ["Console", "Practice", "Mirror", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/ConsoleTestSupport"),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "Practice", "Mirror", "ConsoleTestSupport", "DrChronoSandbox", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "AgentDeskTests",
            dependencies: ["AgentDesk", "ConsoleTestSupport", "Mirror", "Practice"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Console", "Practice", "ConsoleTestSupport", "DrChronoSandbox", "Mirror"], exclude: ["Fixtures"]),
    ]
)
