import ArgumentParser
import DrChronoAPI
import Foundation
import Mirror
import Sync
import Synchronization

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring the profile's local mirror of the practice up to date.",
        discussion: """
            The first run loads the practice — today's schedule first, then the weeks \
            around it, patients, the rest of the schedule, charts and billing — through \
            DrChrono's bulk lists, within the hour's request budget. It can be stopped \
            at any moment (even kill -9) and picks up where it left off. Later runs \
            fetch only what changed.

            --once runs one load or pass and exits; --daemon keeps the mirror fresh, \
            today's schedule within a minute, using under a quarter of the hour's \
            requests, and sends the write queue.

            One process syncs a profile: the holder of its lease. While another \
            (a daemon, a console) holds it, --once says so and sends nothing, and \
            --daemon stands by, taking over within 15 seconds if the holder stops.

            --rebuild is for a damaged local copy: the file is set aside, its queued \
            writes and audit trail carried over, and the practice loaded again.
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Flag(help: "Load or update once, then exit (the default).")
    var once = false

    @Flag(help: "Keep running, keeping the mirror fresh.")
    var daemon = false

    @Option(
        help: ArgumentHelp(
            "With --daemon: receive DrChrono's webhooks on this address, as 127.0.0.1:9000 or 0.0.0.0:9000.", valueName: "host:port"))
    var webhookListen: String?

    @Option(help: "The webhook's secret token, as registered in DrChrono (needed with --webhook-listen).")
    var webhookSecret: String?

    @Flag(
        help: ArgumentHelp(
            "Set a damaged local copy aside and load the practice again, keeping its queued writes and audit trail.",
            discussion: "The damaged file is kept beside it as mirror.damaged-DATE.sqlite."))
    var rebuild = false

    func validate() throws {
        if once && daemon { throw ValidationError("Choose --once or --daemon, not both.") }
        if (webhookListen == nil) != (webhookSecret == nil) { throw ValidationError("--webhook-listen and --webhook-secret go together.") }
        if webhookListen != nil && !daemon { throw ValidationError("Webhooks are received while syncing continuously: add --daemon.") }
        if let address = webhookListen, listenAddress(address) == nil {
            throw ValidationError("--webhook-listen takes host:port, as 127.0.0.1:9000.")
        }
    }

    func listenAddress(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        let host = String(text[..<colon])
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }

    func run() async throws {
        let profile = try profileOptions.open()
        let client = try profile.client()
        let path = MirrorDatabase.file(in: profile.directory)
        let report = ProgressReport(interactive: isatty(STDERR_FILENO) != 0)
        if rebuild {
            let rescue = try MirrorRescue.rebuild(path)
            report.line(rescue.summary)
        }
        let mirror = try MirrorDatabase.open(at: path)
        try profile.directory.checkPermissions()
        if let seal = profile.auditSeal { mirror.keepAuditCheckpoint(in: profile.directory, seal: seal) }
        let zone = try await mirror.pool.read { db in try MirrorQueries.practiceTimeZone(db) } ?? .current
        let engine = profile.mirrorKeeper(mirror: mirror, client: client, timeZone: zone)
        let holder = SyncLease.newHolder()
        // Only the lease holder sends background requests: a second daemon (or a run
        // beside an open console that syncs) sends nothing and says so.
        guard let keeper = try await LeaseKeeper.take(mirror, holder: holder) else {
            guard daemon else {
                report.line("Another chronoterm (a console or `chronoterm sync --daemon`) keeps this profile in sync; nothing was sent.")
                return
            }
            report.line("Another chronoterm keeps this profile in sync: standing by, ready to take over if it stops (Ctrl-C to stop).")
            try await keepFresh(
                profile: profile, engine: engine, mirror: mirror, client: client, holder: holder, report: report, standingBy: true)
            return
        }
        let caughtUp = try await engine.catchUp { progress in report.show(progress) }
        if caughtUp.rebuilt {
            report.line("This profile now reaches another practice, user or API version: the local copy is rebuilt.")
        }
        if let pass = caughtUp.pass {
            report.finish(
                "Up to date: \(pass.rows.values.reduce(0, +)) rows refreshed with \(pass.requests) \(pass.requests == 1 ? "request" : "requests")."
            )
        } else {
            report.finish("Loaded the practice: \(try await counts(mirror)).")
        }
        await keeper.stop(release: !daemon)
        guard daemon else { return }
        try await keepFresh(
            profile: profile, engine: engine, mirror: mirror, client: client, holder: holder, report: report, standingBy: false)
    }

    /// `--daemon`: webhooks if asked for, then passes at each resource's pace while this
    /// process holds the lease (standing by while another does).
    /// `standingBy`: it starts without the lease (and has said so).
    private func keepFresh(
        profile: Profile, engine: any MirrorKeeper, mirror: MirrorDatabase, client: DrChronoClient, holder: String, report: ProgressReport,
        standingBy: Bool
    )
        async throws
    {
        var receiver: WebhookReceiver?
        if let address = webhookListen.flatMap(listenAddress), let secret = webhookSecret {
            receiver = WebhookReceiver(engine: engine, secret: secret, host: address.host, port: address.port)
            let port = try await receiver!.start()
            report.line("Receiving DrChrono's webhooks on \(address.host):\(port).")
        }
        report.line("Keeping the mirror fresh (Ctrl-C to stop).")
        let pusher = OutboxPusher(mirror: mirror, client: client, holder: holder, writer: { name in profile.writer(forPerson: name) })
        let standing = Mutex(standingBy)
        @Sendable func stamp() -> String { Date().formatted(date: .omitted, time: .standard) }
        var daemon = SyncDaemon(
            engine: engine, time: SystemTime(), lease: mirror, holder: holder,
            // Hooks bring changes as they happen: polling is then only the safety net.
            plan: receiver == nil ? .polling : .withWebhooks, beforePass: { _ = try? await pusher.push() })
        daemon.eventRetentionDays = profile.settings.eventRetention
        try await daemon.run(
            onPass: { pass in
                if standing.withLock({ was in
                    defer { was = false }; return was
                }) {
                    report.line("\(stamp()) took over syncing this profile.")
                }
                if pass.requests > 0 { report.line("\(stamp()) \(pass.line(now: Date()))") }
            },
            onFailure: { error in
                report.line("\(stamp()) \(error) Trying again at the next turn.")
            },
            onStandby: {
                if !standing.withLock({ was in
                    defer { was = true }; return was
                }) {
                    report.line("\(stamp()) another chronoterm holds this profile's sync; standing by.")
                }
            })
        await receiver?.stop()
    }

    private func counts(_ mirror: MirrorDatabase) async throws -> String {
        try await mirror.pool.read { db in
            "\(try MirrorQueries.count(db, .patients)) patients, \(try MirrorQueries.count(db, .appointments)) appointments, "
                + "\(try MirrorQueries.count(db, .clinicalNotes)) notes, \(try MirrorQueries.count(db, .lineItems)) line items"
        }
    }
}

/// Progress on standard error: one redrawn line on a terminal, plain lines otherwise.
final class ProgressReport: @unchecked Sendable {
    let interactive: Bool
    private var lastJob = ""

    init(interactive: Bool) { self.interactive = interactive }

    func show(_ progress: SyncEngine.Progress) {
        let width = 20
        // Held within the bar: a count of jobs that grew as they ran must not make it negative.
        let filled = progress.jobsTotal <= 0 ? 0 : min(width, max(0, width * progress.jobsDone / progress.jobsTotal))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let text = "[\(bar)] \(progress.job): \(progress.rows) rows, \(progress.requests) requests"
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        } else if progress.job != lastJob {
            line(text)
        }
        lastJob = progress.job
    }

    func finish(_ text: String) {
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        line(text)
    }

    func line(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}
