import ArgumentParser
import DrChronoSandbox
import Foundation

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve a synthetic practice that speaks DrChrono's API v4 on loopback.",
        discussion: """
            The sandbox answers what app.drchrono.com answers — OAuth, the /api/ \
            resources, cursor pages, bulk lists, limits and webhooks — for an invented \
            practice that is the same for the same seed. Log in to it with client id \
            'sandbox-client' and secret 'sandbox-secret'; /o/authorize/ approves at once.

            Under /_sandbox/ it has an admin surface for tests: move the clock, edit \
            records as the web app would, read request counters, set faults \
            (GET /_sandbox/ lists it all). With --activity day, GET /_sandbox/activity \
            lists every change the practice made by itself, when, and when a client \
            first read it back.

            Fault spec (--faults), comma-separated: latency=200ms or latency=50-400ms, \
            5xx=RATE, drop=RATE (commit a write, then drop the connection), \
            redirect=RATE, 429=RATE, expire=RATE (access token expires early), \
            token-lifetime=SECONDS. RATE is a share between 0 and 1.
            """)

    @Option(help: "Port to listen on, on 127.0.0.1 (0 picks a free one and prints it).")
    var port: Int = 8765

    @Option(help: "Seed for the synthetic practice: the same seed gives the same practice.")
    var seed: UInt64 = 1

    @Option(help: "Practice size: small (tests), practice (the demo), large (benchmarks).")
    var size: PracticeSize = .small

    @Option(help: "DrChrono's request limits: 500 an hour and 10 a second, answered with 429 (on|off).")
    var limits: Switch = .off

    @Option(help: "Requests per hour when limits are on.")
    var hourlyLimit: Int = 500

    @Option(help: "Faults to inject, as in '5xx=0.1,drop=0.05,latency=50-200ms'.")
    var faults: String = "none"

    @Option(help: "Deliver webhooks to this URL (verified first, as DrChrono does).")
    var webhook: String?

    @Option(help: "The webhook's secret token (needed with --webhook).")
    var webhookSecret: String?

    @Option(help: "The practice's time zone, as America/New_York (default: this machine's).")
    var timeZone: String?

    @Option(
        help: ArgumentHelp(
            "day: the practice changes by itself as on a clinic day (visits arrive, check in and finish; bookings, cancellations, signed notes, charges; the 6 pm reminder run); off: only clients and the admin surface change it.",
            valueName: "day|off"))
    var activity: ActivityMode = .off

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard hourlyLimit > 0 else { throw ValidationError("--hourly-limit must be at least 1.") }
        if (webhook == nil) != (webhookSecret == nil) {
            throw ValidationError("--webhook and --webhook-secret go together: give both or neither.")
        }
        if let webhook, URL(string: webhook)?.scheme == nil {
            throw ValidationError("--webhook must be an absolute URL, as http://127.0.0.1:9000/hooks.")
        }
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            throw ValidationError("Unknown time zone '\(timeZone)'; use a name such as America/Chicago.")
        }
        do { _ = try FaultSpec(parsing: faults) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        var configuration = SandboxConfiguration()
        configuration.port = port
        configuration.seed = seed
        configuration.size = size
        configuration.limitsEnabled = limits == .on
        configuration.hourlyLimit = hourlyLimit
        configuration.faults = try FaultSpec(parsing: faults)
        configuration.webhookURL = webhook
        configuration.webhookSecret = webhookSecret
        if let timeZone { configuration.timeZone = TimeZone(identifier: timeZone)! }
        configuration.activity = activity

        printError("Generating the \(size.rawValue) practice (seed \(seed))…")
        let server = SandboxServer(configuration: configuration)
        let summary = await server.practiceSummary
        let settings = configuration
        try await server.run { url in
            FileHandle.standardOutput.write(
                Data(
                    """
                    chronoterm sandbox listening on \(url.absoluteString)
                      practice: \(summary)
                      OAuth: client id sandbox-client, secret sandbox-secret (authorize approves at once)
                      limits: \(settings.limitsEnabled ? "on, \(settings.hourlyLimit)/hour, 10/second" : "off")   faults: \(settings.faults)   activity: \(settings.activity.rawValue)
                      admin: \(url.absoluteString)/_sandbox/
                    Try it from another terminal:
                      chronoterm login --server \(url.absoluteString) --paste
                      chronoterm sync
                    Press Ctrl-C to stop.

                    """.utf8))
        }
    }
}

enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off }

extension PracticeSize: ExpressibleByArgument {}
extension ActivityMode: ExpressibleByArgument {}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
