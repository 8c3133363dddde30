import ArgumentParser
import Console
import DrChronoAPI
import Export
import Foundation
import Mirror

/// `chronoterm export`: snapshots of the practice's tables as CSV or JSON lines, or the
/// whole practice into a PostgreSQL warehouse kept current from the change stream.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the practice's tables as CSV or JSON lines, or into PostgreSQL (office manager only).",
        discussion: """
            Read from this profile's local copy: an export spends no request to DrChrono. \
            Each run is recorded in the audit trail (what, how many rows). The tables hold \
            PHI: docs/export.md says what each column is and which identify a patient.

            Snapshots: one file per table (TABLE.csv or TABLE.jsonl) in --output (default \
            the current folder), made 0600 and put in place only when whole, all tables read \
            from one moment of the copy. CSV is RFC 4180 with a header; a text a spreadsheet \
            would run as a formula starts with '. --since keeps the rows dated on or after a \
            day (appointments by their day, patients by their last change …).

            The warehouse: --to postgresql://USER@HOST:PORT/DATABASE (or \
            ?host=/socket/folder; the password from PGPASSWORD) creates the schema \
            (--schema, default chronoterm), loads every table, and applies each change \
            since in order, the stream position stored in the same transaction: killed at \
            any point, the next run goes on from where it stood, nothing applied twice or \
            skipped. --follow keeps it current until Ctrl-C; run it from cron otherwise.

            Examples:
              chronoterm export appointments patients --format csv --output ~/exports
              chronoterm export line_items --format jsonl --since T-30 --output -
              chronoterm export --to postgresql://reports@db.internal/practice --follow
              chronoterm export --list

            Tables: \(ExportCatalog.tables.map(\.name).joined(separator: ", ")).
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Argument(help: ArgumentHelp("The tables to export (default: all).", valueName: "table"))
    var tables: [String] = []

    @Option(help: "csv or jsonl.")
    var format: SnapshotFormatOption?

    @Option(help: ArgumentHelp("Only rows dated on or after this day: T-30, 2026-11-01 …", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("The folder the files go in, or - for standard output (one table).", valueName: "folder"))
    var output = "."

    @Option(help: ArgumentHelp("A PostgreSQL URL: load the practice there and keep it current.", valueName: "url"))
    var to: String?

    @Option(help: ArgumentHelp("The warehouse's schema.", valueName: "name"))
    var schema = "chronoterm"

    @Flag(help: "With --to: keep the warehouse current until Ctrl-C.")
    var follow = false

    @Flag(help: "With --to: empty the warehouse and load it again from a snapshot.")
    var reload = false

    @Flag(help: "List the tables and their columns, and stop.")
    var list = false

    @Flag(help: .hidden)
    var markdown = false

    @Option(help: .hidden)
    var batch = 2_000

    enum SnapshotFormatOption: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl
        var format: SnapshotFormat { self == .csv ? .csv : .jsonl }
    }

    func validate() throws {
        if list { return }
        let unknown = tables.filter { ExportCatalog.table($0) == nil }
        if !unknown.isEmpty {
            throw ValidationError(
                "No table \(unknown.joined(separator: ", ")). The tables: \(ExportCatalog.tables.map(\.name).joined(separator: ", ")).")
        }
        if let to {
            guard tables.isEmpty, format == nil, since == nil else {
                throw ValidationError("--to loads every table, whole: leave out the tables, --format and --since.")
            }
            do { _ = try Warehouse(address: try PostgresAddress(to), schema: schema) } catch { throw ValidationError("--to: \(error)") }
        } else {
            guard format != nil else {
                throw ValidationError("Say --format csv or --format jsonl (or --to postgresql://… for a warehouse).")
            }
            guard !follow, !reload else { throw ValidationError("--follow and --reload are for --to postgresql://….") }
            if output == "-", tables.count != 1 { throw ValidationError("--output - writes one table: name it.") }
        }
    }

    func run() async throws {
        if list { return print(markdown ? Self.reference : Self.listing, terminator: "") }
        try OfficeManagerOnly.check("Exporting")
        let directory = profileOptions.directory
        guard FileManager.default.fileExists(atPath: MirrorDatabase.file(in: directory)) else {
            throw ValidationError("Profile '\(directory.name)' has no local copy yet: run chronoterm sync first.")
        }
        let mirror = try MirrorDatabase.open(in: directory)
        if let to { return try await warehouse(to, mirror: mirror) }
        try await snapshots(mirror: mirror)
    }

    private func snapshots(mirror: MirrorDatabase) async throws {
        let chosen = tables.isEmpty ? ExportCatalog.tables : tables.compactMap { ExportCatalog.table($0) }
        var day: String?
        if let since {
            let zone = try await mirror.pool.read { db in try MirrorQueries.practiceTimeZone(db) } ?? .current
            do {
                day = try DateExpression(since).resolve(today: LocalDateTime(Date(), in: zone).startOfDay).dateString
            } catch { throw ValidationError("--since \(since): \(error)") }
        }
        let destination: SnapshotDestination = output == "-" ? .standardOutput : .folder(output)
        if case .folder(let folder) = destination {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--output \(folder) is not a folder: make it first (mkdir -m 700 \(folder)).")
            }
        }
        let snapshot = try mirror.exportSnapshot()
        let report = ProgressReport(interactive: TTY.isInteractive && output != "-")
        var counts: [String] = []
        for table in chosen {
            let rows = try SnapshotFile.write(table, format: format!.format, since: day, from: snapshot, to: destination) { rows in
                if report.interactive { FileHandle.standardError.write(Data("\r\u{1B}[K\(table.name): \(rows) rows".utf8)) }
            }
            let dated = day != nil && table.since == nil ? " (no date to filter by: whole)" : ""
            report.finish("\(table.name).\(format!.rawValue): \(rows) \(rows == 1 ? "row" : "rows")\(dated)")
            counts.append("\(table.name) \(rows)")
        }
        let what = "\(format!.rawValue) \(chosen.map { $0.name }.joined(separator: ","))" + (day.map { " since \($0)" } ?? "")
        let outcome = counts.joined(separator: ", ")
        try await mirror.pool.write { db in
            try AuditTrail.record(AuditTrail.Event(.exportSnapshot, reference: what, outcome: outcome), in: db)
        }
    }

    private func warehouse(_ url: String, mirror: MirrorDatabase) async throws {
        let address: PostgresAddress
        do { address = try PostgresAddress(url) } catch { throw ValidationError("--to: \(error)") }
        var warehouse: Warehouse
        do { warehouse = try Warehouse(address: address, schema: schema) } catch { throw ValidationError("\(error)") }
        warehouse.batch = max(1, batch)
        let report = ProgressReport(interactive: TTY.isInteractive)
        report.line("Exporting to \(address), schema \(schema)\(follow ? " (Ctrl-C to stop)" : "").")
        // Recorded as it starts too: a run killed before it could say how it ended is still in the trail.
        let place = "\(address) schema \(schema)"
        try await mirror.pool.write { db in
            try AuditTrail.record(AuditTrail.Event(.exportWarehouse, reference: place, outcome: "started"), in: db)
        }
        let (reload, follow, chosen) = (self.reload, self.follow, warehouse)
        var outcome = Warehouse.Report()
        var failure: (any Error)?
        do {
            outcome = try await StopSignals.run {
                try await chosen.run(mirror: mirror, reload: reload, follow: follow) { step in
                    switch step {
                    case .loading(let table, let rows):
                        if report.interactive { FileHandle.standardError.write(Data("\r\u{1B}[Kloading \(table): \(rows) rows".utf8)) }
                    case .loaded(let rows, let position): report.finish("Loaded \(rows) rows (the stream at \(position)).")
                    case .applied(let events, let position):
                        if report.interactive {
                            FileHandle.standardError.write(Data("\r\u{1B}[K\(events) changes applied (at \(position))".utf8))
                        }
                    }
                }
            }
        } catch is CancellationError {
            failure = nil
        } catch {
            failure = error
        }
        let done = (outcome.loaded.map { "loaded \($0) rows, " } ?? "") + "applied \(outcome.applied) changes, at \(outcome.position)"
        let said = failure == nil ? done : "stopped: \(done)"
        try await mirror.pool.write { db in
            try AuditTrail.record(AuditTrail.Event(.exportWarehouse, reference: place, outcome: said), in: db)
        }
        if let failure { throw ValidationError("\(failure)") }
        report.finish("The warehouse is current: \(done).")
    }

    /// `--list --markdown`: the tables' reference in docs/export.md (a test keeps the two the same).
    static var reference: String {
        ExportCatalog.tables.map { table in
            let privacy = table.privacy == .phi ? "**PHI**: every row is about one patient." : "Not PHI: the practice's own set-up."
            let rows = table.columns.map { column in
                "| `\(column.name)` | \(column.type.rawValue) | \(column.about)\(column.name == table.key ? " (the key)" : "") | \(column.identifies ? "identifies" : "") |"
            }
            let since = table.since.map { " `--since` filters on `\($0)`." } ?? " `--since` does not apply: exported whole."
            return
                ([
                    "### \(table.name)", "", "\(table.about) \(privacy) Events: `\(table.entity).*`.\(since)", "",
                    "| column | type | what it holds | |", "|---|---|---|---|",
                ] + rows).joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }

    /// `--list`: every table, its columns and types, and what is PHI.
    static var listing: String {
        ExportCatalog.tables.map { table in
            let head = "\(table.name) — \(table.about)\(table.privacy == .phi ? " PHI." : "")"
            let columns = table.columns.map { column in
                "  \(column.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(column.type.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(column.about)\(column.identifies ? " (identifies)" : "")"
            }
            return ([head] + columns).joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }
}
