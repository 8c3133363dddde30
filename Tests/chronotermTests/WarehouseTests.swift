import DrChronoAPI
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Testing

/// `chronoterm export --to postgresql://…` against a real PostgreSQL server the test starts.
@Suite("The warehouse in PostgreSQL", .serialized)
struct WarehouseTests {
    /// The warehouse holds the mirror's rows, table by table (compared as JSON: PostgreSQL's
    /// to_jsonb of each row against the mirror's typed values) — and, besides them, only
    /// rows that aged out of the mirror's window (a payment older than its month), which
    /// the warehouse keeps.
    func expectSame(_ postgres: LocalPostgres, _ mirror: ProfileMirror, _ when: String) throws {
        for table in ExportCatalog.tables {
            let theirs = try postgres.psql("SELECT to_jsonb(t) FROM chronoterm.\(table.name) t").split(separator: "\n").map {
                try JSONValue.parse(Data($0.utf8))
            }
            let ours = try mirror.rows(table)
            let spelled = Set(theirs.map(ProfileMirror.canonical))
            let missing = ours.subtracting(spelled)
            #expect(missing.isEmpty, "\(when): \(table.name) lacks \(missing.count) of the mirror's rows, e.g. \(missing.first ?? "")")
            let extra = theirs.filter { !ours.contains(ProfileMirror.canonical($0)) }.compactMap { row -> String? in
                guard let key = row.objectValue?[table.key] else { return nil }
                if case .string(let text) = key { return text }
                return key.serializedString
            }
            let aged = try mirror.mirror.read { db in
                Set(
                    try String.fetchAll(
                        db, sql: "SELECT subject FROM events WHERE table_name = ? AND action = 'delete' AND origin = 'window'",
                        arguments: [table.name]))
            }
            #expect(
                Set(extra).isSubset(of: aged),
                "\(when): \(table.name) has \(extra.count) rows the mirror has not (and did not age out), e.g. \(extra.first ?? "")")
        }
    }

    func position(_ postgres: LocalPostgres) throws -> Int64 {
        Int64(try postgres.psql("SELECT position FROM chronoterm.stream_position")) ?? -1
    }

    @Test("a practice, then a clinic day's changes, match the mirror row for row — and again after kill -9 mid-catch-up and mid-load")
    func warehouse() async throws {
        let postgres = try LocalPostgres()
        defer { postgres.stop() }
        let seven = LocalDateTime(year: 2026, month: 3, day: 4, hour: 7, minute: 0).date(in: RunningSandbox.practiceZone)
        try await withSandbox({
            $0.size = .practice
            $0.activity = .day
            $0.startTime = seven
        }) { sandbox in
            // The clock runs (a first load's bulk lists take their moment on it); the day's
            // activity starts at 8, an hour away, until the test moves the clock on.
            let env = try await Chronoterm.loggedIn(to: sandbox)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let mirror = try ProfileMirror(env)
            func export(_ extra: [String] = []) async throws -> (status: Int32, output: String, errors: String) {
                let before = try await sandbox.adminJSON("requests").int("total")
                let ran = try await Chronoterm.run(["export", "--to", postgres.url] + extra, environment: env)
                #expect(try await sandbox.adminJSON("requests").int("total") == before, "the export spent no request")
                return ran
            }
            let loaded = try await export()
            #expect(loaded.status == 0, "\(loaded.errors)")
            #expect(loaded.errors.contains("Loaded "), "\(loaded.errors)")
            try expectSame(postgres, mirror, "loaded")
            #expect(Int(try postgres.psql("SELECT count(*) FROM chronoterm.appointments")) ?? 0 > 10_000)

            // The clinic day, 7 am to 7 pm, read by a pass; then the warehouse catches up.
            try await sandbox.advanceClock(by: 12 * 3600)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let newest = try await mirror.mirror.pool.read { db in try EventLog.position(in: db).newest }
            let start = try position(postgres)
            #expect(newest - start > 500, "a clinic day is hundreds of changes: \(newest - start)")
            // A slow warehouse (each batch's commit waits), so there is a moment to kill it in.
            try postgres.psql(
                """
                CREATE FUNCTION public.slowly() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.1); RETURN NEW; END $$;
                CREATE TRIGGER slowly BEFORE UPDATE ON chronoterm.stream_position FOR EACH ROW EXECUTE FUNCTION public.slowly();
                """)
            let (running, _, _) = try Chronoterm.start(["export", "--to", postgres.url, "--batch", "25"], environment: env)
            var reached = start
            for _ in 0..<600 where reached == start {
                usleep(20_000)
                reached = try position(postgres)
            }
            kill(running.processIdentifier, SIGKILL)
            running.waitUntilExit()
            let killedAt = try position(postgres)
            #expect(killedAt > start && killedAt < newest, "killed mid-way: at \(killedAt) of \(start)…\(newest)")
            try postgres.psql("DROP TRIGGER slowly ON chronoterm.stream_position")
            let resumed = try await export()
            #expect(resumed.status == 0, "\(resumed.errors)")
            #expect(resumed.errors.contains("applied \(newest - killedAt) changes, at \(newest)"), "each change once: \(resumed.errors)")
            try expectSame(postgres, mirror, "after the clinic day and a kill mid-catch-up")

            // Killed while loading afresh: the load is one transaction, so the warehouse is as it was.
            try postgres.psql(
                "CREATE TRIGGER slowly BEFORE INSERT ON chronoterm.patients FOR EACH ROW EXECUTE FUNCTION public.slowly()")
            let (reloading, _, _) = try Chronoterm.start(["export", "--to", postgres.url, "--reload"], environment: env)
            var copying = false
            for _ in 0..<600 where !copying {
                usleep(20_000)
                copying = try postgres.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY \"patients\"%'") != "0"
            }
            #expect(copying, "the reload reached the patients")
            kill(reloading.processIdentifier, SIGKILL)
            reloading.waitUntilExit()
            try postgres.psql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'COPY%' AND pid <> pg_backend_pid()")
            #expect(try position(postgres) == newest)
            try expectSame(postgres, mirror, "after a kill mid-load")
            try postgres.psql("DROP TRIGGER slowly ON chronoterm.patients")
            let reloaded = try await export(["--reload"])
            #expect(reloaded.status == 0, "\(reloaded.errors)")
            try expectSame(postgres, mirror, "reloaded")
            // --follow: a change the sync stores reaches the warehouse while it runs; a
            // SIGTERM ends it between two batches, saying where it stands.
            let (following, _, followErrors) = try Chronoterm.start(["export", "--to", postgres.url, "--follow"], environment: env)
            let patient = try #require(
                try mirror.mirror.read { db in try Int.fetchOne(db, sql: "SELECT id FROM patients ORDER BY id LIMIT 1") })
            _ = try await sandbox.admin("PATCH", "records/patients/\(patient)", ["email": "followed@example.org"])
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            var arrived = false
            for _ in 0..<200 where !arrived {
                usleep(50_000)
                arrived = try postgres.psql("SELECT email FROM chronoterm.patients WHERE id = \(patient)") == "followed@example.org"
            }
            #expect(arrived, "the change reached the warehouse while it followed")
            // A second run (a cron job meeting the service) is turned away, not let in to apply the same batch.
            let second = try await export()
            #expect(
                second.status != 0 && second.errors.contains("Another chronoterm export is keeping the schema chronoterm current"),
                "\(second.errors)")
            kill(following.processIdentifier, SIGTERM)
            await Chronoterm.waitForExit(following)
            let said = await Chronoterm.readToEnd(followErrors)
            #expect(following.terminationStatus == 0 && said.contains("The warehouse is current"), "\(said)")
            try expectSame(postgres, mirror, "after following")
            let trail = try await Chronoterm.run(["audit", "--csv"], environment: env)
            #expect(trail.output.contains("export.warehouse"), "each run is recorded")
        }
    }
}
