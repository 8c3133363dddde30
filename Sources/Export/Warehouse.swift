import Foundation
import GRDB
import Logging
import Mirror
import NIOCore
import PostgresNIO

/// The practice in PostgreSQL, kept current from the mirror's change stream.
///
/// A first run loads a snapshot of every table (COPY, in one transaction with the stream
/// position the snapshot stands at); each later batch of events is applied in one
/// transaction that also moves the stored position. A run killed at any point leaves the
/// warehouse at a position it holds every change up to: the next run applies each change
/// after it exactly once. Nothing here spends a request to DrChrono.
public struct Warehouse: Sendable {
    public let address: PostgresAddress
    public let schema: String
    /// Events applied in one transaction.
    public var batch = 2_000

    /// What a run did, for the person running it and the audit trail.
    public struct Report: Sendable, Equatable {
        /// Rows put in by a load from a snapshot (nil: the warehouse was already loaded).
        public var loaded: Int?
        public var applied = 0
        public var position: Int64 = 0

        public init() {}
    }

    /// A step of a run, for progress lines.
    public enum Step: Sendable {
        case loading(table: String, rows: Int)
        case loaded(rows: Int, position: Int64)
        case applied(events: Int, position: Int64)
    }

    public init(address: PostgresAddress, schema: String = "chronoterm") throws {
        guard WarehouseSchema.isValidName(schema) else {
            throw ExportProblem("--schema \(schema): use lower-case letters, digits and _ (starting with a letter or _).")
        }
        (self.address, self.schema) = (address, schema)
    }

    static let logger: Logger = {
        var logger = Logger(label: "chronoterm.export")
        logger.logLevel = .critical  // nothing of the practice's in a log
        return logger
    }()

    /// Brings the warehouse up to the mirror's newest event, then (with `follow`) keeps it
    /// there until cancelled. `reload`: load afresh from a snapshot even when loaded.
    public func run(
        mirror: MirrorDatabase, reload: Bool = false, follow: Bool = false, progress: @Sendable (Step) -> Void = { _ in }
    ) async throws -> Report {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try address.configuration, id: 1, logger: Self.logger)
        } catch {
            throw ExportProblem("Cannot reach PostgreSQL at \(address): \(Self.words(error)).")
        }
        do {
            let report = try await run(on: connection, mirror: mirror, reload: reload, follow: follow, progress: progress)
            try? await connection.close()
            return report
        } catch {
            try? await connection.close()
            if error is CancellationError || error is ExportProblem || error is EventLog.Gap { throw error }
            throw ExportProblem("PostgreSQL refused: \(Self.words(error)).")
        }
    }

    private func run(
        on connection: PostgresConnection, mirror: MirrorDatabase, reload: Bool, follow: Bool, progress: @Sendable (Step) -> Void
    ) async throws -> Report {
        // One run at a time keeps a schema current (a cron run meeting a --follow service
        // would apply the same batch twice): the lock is the session's, so a run killed
        // with -9 lets go of it when PostgreSQL sees its connection close.
        let locked = try await connection.query(
            "SELECT pg_try_advisory_lock(\(Self.lockClass), hashtext(\(schema)))", logger: Self.logger)
        for try await held in locked.decode(Bool.self) where !held {
            throw ExportProblem("Another chronoterm export is keeping the schema \(schema) current; let it, or stop it first.")
        }
        for statement in WarehouseSchema.statements(in: schema) {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Self.logger)
        }
        let source = try await mirror.pool.read { db in try EventLog.source(in: db) }
        var report = Report()
        let held = try await stored(on: connection)
        if let held, held.mirror != source, !reload {
            throw ExportProblem(
                "The schema \(schema) was loaded from another local copy's stream (\(held.mirror)); run again with --reload to load it afresh from this one."
            )
        }
        if let held, held.mirror == source, !reload {
            report.position = held.position
            do {
                let position = held.position
                try await mirror.pool.read { db in try EventLog.checkResume(after: position, in: db) }
            } catch let gap as EventLog.Gap {
                throw ExportProblem("\(gap) For the warehouse: run again with --reload.")
            }
        } else {
            let (rows, position) = try await load(on: connection, mirror: mirror, source: source, progress: progress)
            (report.loaded, report.position) = (rows, position)
            progress(.loaded(rows: rows, position: position))
        }
        let watch = follow ? try MirrorWatch(mirror) : nil
        // Cancelled (Ctrl-C, kill): stops between two batches, or rolls the one under way
        // back; the report says where the warehouse stands.
        while !Task.isCancelled {
            let after = report.position
            let limit = batch
            let events = try await mirror.pool.read { db in try EventLog.events(after: after, limit: limit, in: db) }
            if events.isEmpty {
                guard let watch else { break }
                while !watch.changed() && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(500)) }
                continue
            }
            do {
                try await apply(events, after: after, on: connection)
            } catch  where Task.isCancelled {
                break
            }
            report.applied += events.count
            report.position = events.last!.seq
            progress(.applied(events: report.applied, position: report.position))
        }
        return report
    }

    /// The mirror and position the warehouse holds, if it was loaded.
    private func stored(on connection: PostgresConnection) async throws -> (mirror: String, position: Int64)? {
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT mirror, position FROM \(schema).stream_position WHERE id = 1"), logger: Self.logger)
        for try await (mirror, position) in rows.decode((String, Int64).self) { return (mirror, position) }
        return nil
    }

    /// Empties the tables and copies every row of one frozen moment of the mirror in, with
    /// that moment's stream position, in one transaction.
    private func load(
        on connection: PostgresConnection, mirror: MirrorDatabase, source: String, progress: @Sendable (Step) -> Void
    ) async throws -> (Int, Int64) {
        let snapshot = try mirror.exportSnapshot()
        let position = try await snapshot.read { db in try EventLog.position(in: db).newest }
        var total = 0
        try await connection.query("BEGIN", logger: Self.logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: WarehouseSchema.truncate(in: schema)), logger: Self.logger)
            // COPY names its table unqualified: the schema is the transaction's search path.
            try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \(schema)"), logger: Self.logger)
            for table in ExportCatalog.tables {
                var written = 0
                try await connection.copyFrom(table: table.name, columns: table.columns.map(\.name), logger: Self.logger) { writer in
                    var after: DatabaseValue?
                    repeat {
                        let from = after
                        let page = try await snapshot.read { db in try Snapshot.page(of: table, after: from, in: db) }
                        var buffer = ByteBuffer()
                        for row in page.rows {
                            buffer.writeString(row.map(\.copyText).joined(separator: "\t"))
                            buffer.writeString("\n")
                        }
                        if buffer.readableBytes > 0 { try await writer.write(buffer) }
                        written += page.rows.count
                        progress(.loading(table: table.name, rows: written))
                        after = page.next
                    } while after != nil
                }
                total += written
            }
            try await savePosition(position, mirror: source, on: connection)
            try await connection.query("COMMIT", logger: Self.logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: Self.logger)
            throw error
        }
        return (total, position)
    }

    /// Applies `events` (those after `start`) and moves the stored position past them, in one transaction.
    private func apply(_ events: [ChangeEvent], after start: Int64, on connection: PostgresConnection) async throws {
        try await connection.query("BEGIN", logger: Self.logger)
        do {
            for event in events {
                if event.action == .truncate {
                    try await connection.query(PostgresQuery(unsafeSQL: WarehouseSchema.truncate(in: schema)), logger: Self.logger)
                    continue
                }
                guard let table = ExportCatalog.table(event.table) else { continue }
                switch event.action {
                case .create, .update:
                    var binds = PostgresBindings()
                    for value in table.values(ofEventRow: event.row) { binds.append(value) }
                    try await connection.query(
                        PostgresQuery(unsafeSQL: WarehouseSchema.upsert(table, in: schema), binds: binds), logger: Self.logger)
                case .delete where event.origin == .window:
                    // Aged out of the mirror's window, not deleted at DrChrono: the warehouse keeps its history.
                    continue
                case .delete:
                    var binds = PostgresBindings()
                    binds.append(table.keyColumn.type.value(.string(event.subject)))
                    try await connection.query(
                        PostgresQuery(unsafeSQL: WarehouseSchema.delete(table, in: schema), binds: binds), logger: Self.logger)
                case .truncate: break
                }
            }
            // Fenced: the position moves only from where this batch started.
            let moved = try await connection.query(
                """
                UPDATE \(unescaped: schema).stream_position SET position = \(events.last!.seq), updated_at = now()
                WHERE id = 1 AND position = \(start) RETURNING position
                """, logger: Self.logger)
            var fenced = true
            for try await _ in moved.decode(Int64.self) { fenced = false }
            if fenced { throw ExportProblem("The warehouse's position moved under this run: another export writes to \(schema).") }
            try await connection.query("COMMIT", logger: Self.logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: Self.logger)
            throw error
        }
    }

    private func savePosition(_ position: Int64, mirror: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema).stream_position VALUES (1, \(mirror), \(position), now(), now())
            ON CONFLICT (id) DO UPDATE SET mirror = EXCLUDED.mirror, position = EXCLUDED.position, loaded_at = now(), updated_at = now()
            """, logger: Self.logger)
    }

    /// The first key of the advisory lock a run holds (the second is the schema's hash): "ct".
    static let lockClass: Int32 = 0x6374

    /// A PostgreSQL error in words: the server's message (PostgresNIO's own description
    /// hides it, rightly, from logs).
    static func words(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

extension PostgresBindings {
    /// Binds an exported value as text or a number; the statement casts it to its column's type.
    mutating func append(_ value: ExportValue) {
        switch value {
        case .null: appendNull()
        case .integer(let number): append(number)
        case .boolean(let flag): append(flag)
        case .decimal(let number): append(number)
        case .text(let text), .json(let text): append(text)
        }
    }
}
