import DrChronoSandbox
import Export
import Foundation
import GRDB
@_spi(Benchmarks) import Mirror
import SandboxHarness
import Sync

/// `chronoterm-bench export [practice|large]`: what the change stream costs a first load
/// (the same load with its triggers off, then on), and how long the practice takes to put
/// into PostgreSQL and to catch up there — with the sandbox's counters around the export.
enum ExportBench {
    static func run(size: PracticeSize) async throws {
        var loads: [Bool: Double] = [:]
        var sizes: [Bool: Double] = [:]
        var loaded: BenchPractice?
        for recording in [false, true] {
            let practice = try await BenchPractice.start(size: size)
            if !recording { try await practice.mirror.pool.write { db in try EventLog.setRecording(false, in: db) } }
            say("loading the \(size.rawValue) practice, the change stream \(recording ? "on" : "off")…")
            let started = ContinuousClock.now
            try await SyncEngine(mirror: practice.mirror, client: practice.client, timeZone: .current).load()
            loads[recording] = seconds(since: started)
            sizes[recording] = try await megabytes(practice.mirror)
            if recording { loaded = practice } else { await practice.stop() }
        }
        guard let practice = loaded, let quiet = loads[false], let recorded = loads[true] else { return }
        let (events, rows) = try await practice.mirror.pool.read { db in
            (try EventLog.kept(in: db), try ExportCatalog.tables.reduce(0) { $0 + (try Snapshot.count(of: $1, in: db)) })
        }
        print(
            "first load (\(size.rawValue)): \(rows) exported rows; stream off \(format(quiet)) s, on \(format(recorded)) s "
                + "(+\(format((recorded - quiet) * 100 / quiet))%); \(events) events, \(Int(Double(events) / recorded)) events/s written "
                + "during the load; mirror \(format(sizes[false] ?? 0)) MB without the stream, \(format(sizes[true] ?? 0)) MB with it")

        let postgres = try LocalPostgres()
        defer { postgres.stop() }
        let warehouse = try Warehouse(address: try PostgresAddress(postgres.url))
        try await practice.clearRequests()
        var started = ContinuousClock.now
        let load = try await warehouse.run(mirror: practice.mirror)
        let loadSeconds = seconds(since: started)
        print(
            "into PostgreSQL (\(size.rawValue)): \(load.loaded ?? 0) rows in \(format(loadSeconds)) s = "
                + "\(Int(Double(load.loaded ?? 0) / loadSeconds)) rows/s; requests to DrChrono meanwhile: \(try await practice.requests())")

        // Catching up: 20,000 visits changed at once (a pass that read a reminder run's worth ten times over).
        try await practice.mirror.write(.pass) { db in
            try db.execute(
                sql: "UPDATE appointments SET reason = reason || '.' WHERE rowid IN (SELECT rowid FROM appointments LIMIT 20000)")
        }
        started = ContinuousClock.now
        let caughtUp = try await warehouse.run(mirror: practice.mirror)
        let catchUp = seconds(since: started)
        print(
            "catching up in PostgreSQL: \(caughtUp.applied) changes in \(format(catchUp)) s = \(Int(Double(caughtUp.applied) / catchUp)) "
                + "changes/s (batches of \(warehouse.batch), each one transaction); requests to DrChrono: \(try await practice.requests())")
        await practice.stop()
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The mirror file's size once its write-ahead log is folded in.
    static func megabytes(_ mirror: MirrorDatabase) async throws -> Double {
        try await mirror.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let bytes = (try FileManager.default.attributesOfItem(atPath: mirror.path)[.size] as? Int) ?? 0
        return Double(bytes) / 1_048_576
    }
}
