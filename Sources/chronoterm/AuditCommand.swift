import ArgumentParser
import Console
import DrChronoAPI
import Foundation
import Mirror

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show and verify who opened which chart, note or billing, and every write and its outcome.",
        discussion: """
            The trail records, for this profile: each chart, note and visit's billing \
            opened in the console; each write queued (booking, status change, move, \
            charge, upload) and how it ended; each login and logout. Every entry says \
            who (the computer account and the DrChrono user), when (UTC) and what, by \
            id — never a name or a note's text.

            Entries are chained by SHA-256: --verify recomputes the chain and names any \
            entry that was changed or deleted (exit status 1 if so). It also checks the \
            trail against the checkpoint kept beside the mirror (audit.checkpoint, moved \
            on with every entry and sealed with the profile's key): a local copy emptied \
            or replaced, entries deleted from the end, or a checkpoint written by hand \
            fails, saying how many entries are gone. Each entry's hash also goes to the \
            system log (authpriv), a second witness. --csv writes the entries for a \
            spreadsheet.
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Option(help: ArgumentHelp("Only entries about this patient (DrChrono's patient id).", valueName: "id"))
    var patient: Int?

    @Option(help: ArgumentHelp("Only entries from this day on: 2026-11-01, 11/1, T-7.", valueName: "date"))
    var since: String?

    @Flag(help: "Check that no entry was changed or deleted.")
    var verify = false

    @Flag(help: "Write comma-separated values (with a header row) instead of a table.")
    var csv = false

    @Flag(
        help: ArgumentHelp(
            "Seal the checkpoint where the trail stands, when its chain is intact (once, after upgrading from a chronoterm "
                + "that wrote unsealed checkpoints); recorded in the trail."))
    var reseal = false

    func run() async throws {
        let directory = profileOptions.directory
        try directory.checkPermissions()
        let path = MirrorDatabase.file(in: directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError(
                "Profile '\(directory.name)' has no local copy yet, so no audit trail: it starts with `chronoterm login` or `chronoterm sync`."
            )
        }
        let sinceDay: String?
        do {
            sinceDay = try since.map {
                try DateExpression($0).resolve(today: LocalDateTime(Date(), in: TimeZone(identifier: "UTC")!)).dateString
            }
        } catch {
            throw ValidationError("--since: \(error)")
        }
        let mirror = try MirrorDatabase.open(at: path)
        let loggedIn = TokenVault(directory: directory, keySource: .passphrase("")).exists
        let entries = try await mirror.pool.read { db in try AuditTrail.entries(db, patient: patient, since: sinceDay) }
        if reseal {
            guard loggedIn, let seal = (try? profileOptions.open().vault.load()).map({ AuditSeal(secret: $0.clientSecret) }) else {
                throw ValidationError("--reseal needs the profile's key: set CHRONOTERM_KEY_FILE, or type the passphrase at a terminal.")
            }
            let breaks = try await mirror.pool.write { db -> [AuditTrail.Break] in
                let found = try AuditTrail.verify(db)
                if found.isEmpty {
                    try AuditTrail.record(.init(.auditResealed), in: db)
                    try AuditCheckpoint.record(db, in: directory, seal: seal)
                }
                return found
            }
            guard breaks.isEmpty else {
                print("The trail's chain is broken; nothing was sealed:")
                for problem in breaks { print("  \(problem)") }
                throw ExitCode(1)
            }
            print("The checkpoint is sealed where the trail stands now; the trail records that it was.")
            return
        }
        if verify {
            // The checkpoint's seal is checked with the profile's key, when it can be had.
            let seal = loggedIn ? (try? profileOptions.open().vault.load()).map { AuditSeal(secret: $0.clientSecret) } : nil
            let (total, breaks) = try await mirror.pool.write { db in
                (try AuditTrail.entries(db).count, try AuditCheckpoint.verifyAndAdvance(db, in: directory, loggedIn: loggedIn, seal: seal))
            }
            if breaks.isEmpty {
                print("The audit trail is intact: \(total) \(total == 1 ? "entry" : "entries"), each chained to the one before.")
                if loggedIn && seal == nil {
                    print(
                        "(The checkpoint's seal was not checked: the profile's key is needed — set CHRONOTERM_KEY_FILE or type the passphrase.)"
                    )
                }
                return
            }
            print("The audit trail was tampered with:")
            for problem in breaks { print("  \(problem)") }
            throw ExitCode(1)
        }
        let header = [
            "seq", "at (UTC)", "computer account", "DrChrono user", "person", "event", "patient", "appointment", "reference", "outcome",
            "came with",
        ]
        let rows = entries.map {
            [
                String($0.seq), $0.at, $0.osUser, $0.user, $0.person ?? "", $0.event, $0.patient.map(String.init) ?? "",
                $0.appointment ?? "", $0.reference ?? "", $0.outcome ?? "", $0.via ?? "",
            ]
        }
        if csv {
            for row in [header] + rows { print(row.map(Self.csvField).joined(separator: ",")) }
            return
        }
        guard !rows.isEmpty else {
            print("No entries" + (patient.map { " about patient \($0)" } ?? "") + (sinceDay.map { " since \($0)" } ?? "") + "."); return
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(
                row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(
                    separator: "  "
                )
                .trimmingCharacters(in: .whitespaces))
        }
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Records a login or logout in the profile's trail (creating the mirror if needed),
/// and moves the trail's checkpoint on when the trail is intact.
enum AccountAudit {
    /// `seal`: the profile's (nil when its key is not at hand: the checkpoint stays).
    static func record(_ event: AuditEvent, user: String?, profile directory: ProfileDirectory, seal: AuditSeal?) {
        guard let mirror = try? MirrorDatabase.open(in: directory) else { return }
        try? mirror.pool.write { db in
            try AuditTrail.record(.init(event), user: user, in: db)
            try AuditCheckpoint.verifyAndAdvance(db, in: directory, loggedIn: event == .login, seal: seal, newLogin: event == .login)
        }
    }
}
