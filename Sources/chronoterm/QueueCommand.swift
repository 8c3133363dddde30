import ArgumentParser
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Sync

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Show the writes waiting to reach DrChrono; send them, retry or discard one.",
        discussion: """
            Every booking, status change and charge goes into this profile's queue first \
            and is sent to DrChrono exactly once. States: pending (waiting its turn), \
            sending, ambiguous (sent, answer lost: it is looked for before anything is \
            sent again), conflict (DrChrono refused it as overlapping: pick another \
            time, or retry with overlap allowed), failed (DrChrono refused it: the \
            message says why).
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Flag(help: "Send what is queued now.")
    var push = false

    @Option(help: ArgumentHelp("Put a failed or conflicting entry back in line.", valueName: "number"))
    var retry: Int64?

    @Option(help: ArgumentHelp("Give up a failed or conflicting entry (asks first).", valueName: "number"))
    var discard: Int64?

    @Flag(help: "With --discard: do not ask.")
    var yes = false

    func run() async throws {
        let profile = try profileOptions.open()
        let mirror = try MirrorDatabase.open(in: profile.directory)
        if let seal = profile.auditSeal { mirror.keepAuditCheckpoint(in: profile.directory, seal: seal) }
        let queue = WriteQueue(mirror: mirror)
        if let seq = retry {
            switch try queue.retry(seq) {
            case .queued: print("Entry \(seq) is back in line.")
            case .refused(let refusal): print(refusal.reason)
            case .needsConfirmation: break
            }
        }
        if let seq = discard {
            guard yes || TTY.ask("Discard entry \(seq)? It will not reach DrChrono. Type yes to confirm: ")?.lowercased() == "yes" else {
                print("Nothing discarded.")
                return
            }
            switch try queue.discard(seq) {
            case .queued(let discarded):
                // A discarded change leaves the row showing what was not sent: DrChrono's is fetched.
                if let (resource, id) = discarded.reread {
                    let zone = try await mirror.pool.read { db in try MirrorQueries.practiceTimeZone(db) } ?? .current
                    let engine = profile.mirrorKeeper(mirror: mirror, client: try profile.client(), timeZone: zone)
                    try? await engine.refresh(resource, id: id)
                }
                print("Discarded entry \(seq).")
            case .refused(let refusal): print(refusal.reason)
            case .needsConfirmation: break
            }
        }
        if push {
            // Two processes pushing one queue could both send an entry: only the lease
            // holder pushes. A running daemon (or console) sends it within seconds.
            guard let keeper = try await LeaseKeeper.take(mirror) else {
                print(
                    "Another chronoterm (a console or `chronoterm sync --daemon`) sends this profile's queue; it goes out within seconds.")
                return
            }
            let queued = try await mirror.pool.read { db in try Outbox.count(db) }
            let interactive = isatty(STDERR_FILENO) != 0
            let pusher = OutboxPusher(
                mirror: mirror, client: try profile.client(), holder: keeper.holder,
                writer: { name in profile.writer(forPerson: name) }
            ) {
                report in
                let done = report.confirmed + report.reconciled
                if interactive {
                    FileHandle.standardError.write(Data("\r\u{1B}[KSent \(done) of \(queued)…".utf8))
                } else if done % 50 == 0 {
                    FileHandle.standardError.write(Data("Sent \(done) of \(queued)…\n".utf8))
                }
            }
            var report: OutboxPusher.Report
            do {
                report = try await pusher.push()
                // A write a stopped chronoterm may still have at DrChrono is looked up once
                // its request has surely ended, never sent again before.
                while let until = report.waitUntil, report.stopped == nil {
                    let seconds = max(0, until.timeIntervalSinceNow)
                    FileHandle.standardError.write(
                        Data("Waiting \(Int(seconds.rounded(.up)))s for a write a stopped chronoterm may have sent…\n".utf8))
                    try await Task.sleep(for: .seconds(seconds + 0.1))
                    let more = try await pusher.push()
                    report.confirmed += more.confirmed
                    report.reconciled += more.reconciled
                    (report.stopped, report.waitUntil) = (more.stopped, more.waitUntil)
                }
            } catch {
                await keeper.stop(release: true)
                throw error
            }
            await keeper.stop(release: true)
            if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            print(
                "Sent \(report.confirmed), found \(report.reconciled) already at DrChrono."
                    + (report.stopped.map { " Stopped: \($0)" } ?? ""))
        }
        let entries = try await mirror.pool.read { db in try Outbox.entries(db) }
        if entries.isEmpty { print("Nothing is queued: DrChrono has every write."); return }
        print("\(entries.count) queued:")
        for entry in entries {
            let what = entry.kind.rawValue.replacingOccurrences(of: ".", with: " ")
            print(
                "  \(entry.seq)  \(entry.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(what) \(entry.target.id)"
                    + (entry.person.map { " by \($0)" } ?? "") + (entry.message.map { " — \($0)" } ?? ""))
        }
    }
}
