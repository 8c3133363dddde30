import ArgumentParser
import Export
import Foundation
import Mirror

/// `chronoterm events`: the mirror's change stream as CloudEvents JSON lines.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the practice's changes as CloudEvents JSON lines (office manager only).",
        discussion: """
            Every change the local copy stores — read by a sync pass, sent by a webhook, or \
            made here and queued — is recorded as an event in the same transaction, numbered \
            in order. Each line is a CloudEvents 1.0 event: id (its number), source (this \
            mirror), type (appointment.updated, appointment.checked_in, clinical_note.signed …), \
            subject (appointments/9001), time, and data: the action (create, update, delete), \
            the row after (before, for a delete), the columns an update changed, and where \
            it came from (pass, webhook, queue, confirmation, window).

            A consumer remembers the last id it saw and resumes with --since ID. Events are \
            kept for the profile's event_retention_days (30 unless profile.json says): asking \
            to resume before what is kept is an error, never a silent gap. Reading costs no \
            request to DrChrono. Each run is recorded in the audit trail. The rows hold PHI: \
            see docs/export.md.

            Examples:
              chronoterm events --since 1200 > changes.jsonl
              chronoterm events --follow --type appointment.arrived,appointment.checked_in
              chronoterm events --type clinical_note.signed --since 0

            Types: \(CloudEvent.types.joined(separator: ", ")).
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Option(
        help: ArgumentHelp("Print the events after this id (the last one a consumer saw). Absent: from the oldest kept.", valueName: "id"))
    var since: Int64?

    @Flag(help: "Keep printing new events as they are stored, until Ctrl-C.")
    var follow = false

    @Option(
        name: .customLong("type"),
        help: ArgumentHelp(
            "Only these types, comma-separated: an entity (appointment) or a whole type (appointment.checked_in).", valueName: "types"))
    var types: String?

    func run() async throws {
        try OfficeManagerOnly.check("Reading the change stream")
        let wanted = (types ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let problem = CloudEvent.problem(with: wanted) { throw ValidationError(problem) }
        let directory = profileOptions.directory
        guard FileManager.default.fileExists(atPath: MirrorDatabase.file(in: directory)) else {
            throw ValidationError("Profile '\(directory.name)' has no local copy yet: run chronoterm sync first.")
        }
        let mirror = try MirrorDatabase.open(in: directory)
        let (source, start) = try await mirror.pool.read { [since] db -> (String, Int64) in
            if let since {
                try EventLog.checkResume(after: since, in: db)
                return (try EventLog.source(in: db), since)
            }
            return (try EventLog.source(in: db), try EventLog.position(in: db).prunedThrough)
        }
        let follow = self.follow
        let what = "after \(start)" + (wanted.isEmpty ? "" : " of \(wanted.joined(separator: ","))") + (follow ? ", following" : "")
        if follow {
            // A follower runs for days: recorded as it starts, so one killed is still in the trail.
            try await mirror.pool.write { db in
                try AuditTrail.record(AuditTrail.Event(.exportEvents, reference: what, outcome: "started"), in: db)
            }
        }
        let (printed, last) = try await StopSignals.run { () async throws -> (Int, Int64) in
            var (printed, after) = (0, start)
            let watch = follow ? try MirrorWatch(mirror) : nil
            while !Task.isCancelled {
                let from = after
                // The events and the newest number from one read: the next read starts past
                // the events of other types too, and misses none stored meanwhile.
                let (events, newest) = try await mirror.pool.read { db in
                    (try EventLog.events(after: from, types: wanted, limit: 1_000, in: db), try EventLog.position(in: db).newest)
                }
                if !events.isEmpty {
                    let lines = events.map { CloudEvent.line($0, source: source) + "\n" }.joined()
                    FileHandle.standardOutput.write(Data(lines.utf8))
                    printed += events.count
                }
                after = events.count == 1_000 ? events.last!.seq : max(after, newest)
                if events.count == 1_000 { continue }
                guard let watch else { break }
                while !watch.changed() && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(250)) }
            }
            return (printed, after)
        }
        try await mirror.pool.write { db in
            try AuditTrail.record(AuditTrail.Event(.exportEvents, reference: what, outcome: "\(printed) events, through \(last)"), in: db)
        }
        FileHandle.standardError.write(Data("\(printed) \(printed == 1 ? "event" : "events"); resume with --since \(last).\n".utf8))
    }
}
