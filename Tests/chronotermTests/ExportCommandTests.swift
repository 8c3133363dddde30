import DrChronoAPI
import Export
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Testing

/// DuckDB, from PyPI, in the tests' private environment (`make test-deps`).
enum DuckDB {
    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Export/duckdb_query.py").path
    }

    /// The first value of an answer (empty when none).
    static func first(_ answer: [[String?]]) -> String { answer.first?.first.flatMap { $0 } ?? "" }

    /// What each statement answered (rows of values as text), run in `folder`.
    static func query(_ statements: [String], in folder: URL) async throws -> [[[String?]]] {
        guard FileManager.default.isExecutableFile(atPath: Agent.python) else {
            throw DuckDBError(description: "The export's tests need DuckDB: run make test-deps (it makes .build/test-venv).")
        }
        let ran = try await Chronoterm.runProgram(
            ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", folder.path, Agent.python, script] + statements)
        guard ran.status == 0, let answers = (try? JSONValue.parse(Data(ran.output.utf8)))?.arrayValue else {
            throw DuckDBError(description: "DuckDB failed (\(ran.status)): \(ran.errors.suffix(2000))")
        }
        return answers.map { ($0.arrayValue ?? []).map { ($0.arrayValue ?? []).map { $0.stringValue } } }
    }
}

struct DuckDBError: Error, CustomStringConvertible { var description: String }

/// The mirror of a test's profile, read as the export reads it.
struct ProfileMirror {
    let mirror: MirrorDatabase

    init(_ env: [String: String]) throws {
        let path = URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!).appendingPathComponent("chronoterm/profiles/desk/mirror.sqlite").path
        mirror = try MirrorDatabase.open(at: path)
    }

    func count(_ table: ExportTable) throws -> Int { try mirror.read { db in try Snapshot.count(of: table, in: db) } }

    /// Every row of `table` as canonical JSON (keys sorted, whole numbers without a point).
    func rows(_ table: ExportTable) throws -> Set<String> {
        try mirror.read { db in
            var rows = Set<String>()
            var after: DatabaseValue?
            repeat {
                let page = try Snapshot.page(of: table, after: after, in: db)
                for row in page.rows {
                    rows.insert(ProfileMirror.canonical(table.jsonObject(row)))
                }
                after = page.next
            } while after != nil
            return rows
        }
    }

    /// One spelling of a JSON value, whoever wrote it: PostgreSQL's to_jsonb or the mirror.
    static func canonical(_ value: JSONValue) -> String {
        switch value {
        case .object(let object):
            "{" + object.keys.sorted().map { "\"\($0)\":" + canonical(object[$0]!) }.joined(separator: ",") + "}"
        case .array(let values): "[" + values.map(canonical).joined(separator: ",") + "]"
        case .double(let number) where number.rounded() == number && abs(number) < 1e15: String(Int64(number))
        default: value.serializedString
        }
    }
}

@Suite("The practice's data out", .serialized)
struct ExportCommandTests {
    @Test(
        "snapshots as CSV and JSON lines and the change stream, read by DuckDB, hold what the mirror holds; typed, formula-safe, 0600, audited"
    )
    func snapshotsAndStream() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let token = try await sandbox.token()
            // A name typed as a spreadsheet formula, as anything typed in DrChrono's web app may be.
            _ = try await sandbox.admin("PATCH", "records/patients/10007", ["first_name": "=HYPERLINK(\"http://x\")"])
            _ = token
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let requestsBefore = try await sandbox.adminJSON("requests").int("total")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-export-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: folder) }

            let csv = try await Chronoterm.run(["export", "--format", "csv", "--output", folder.path], environment: env)
            #expect(csv.status == 0, "\(csv.errors)")
            let jsonl = try await Chronoterm.run(["export", "--format", "jsonl", "--output", folder.path], environment: env)
            #expect(jsonl.status == 0, "\(jsonl.errors)")
            let events = try await Chronoterm.run(["events"], environment: env)
            #expect(events.status == 0, "\(events.errors)")
            try Data(events.output.utf8).write(to: folder.appendingPathComponent("events.jsonl"))

            let mirror = try ProfileMirror(env)
            let tables = ExportCatalog.tables
            for table in tables {
                let mode =
                    try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("\(table.name).csv").path)[
                        .posixPermissions] as? Int
                #expect(mode == 0o600, "\(table.name).csv is \(String(mode ?? 0, radix: 8))")
            }
            // Counts per table, as DuckDB reads each file (an empty table's JSON-lines file is empty).
            let counts = try await DuckDB.query(
                tables.map { "SELECT count(*) FROM read_csv('\($0.name).csv', header = true, all_varchar = true)" }, in: folder)
            let nonEmpty = try tables.filter { try mirror.count($0) > 0 }
            let jsonCounts = try await DuckDB.query(
                nonEmpty.map { "SELECT count(*) FROM read_json('\($0.name).jsonl', format = 'newline_delimited')" }, in: folder)
            for (table, answer) in zip(tables, counts) {
                #expect(Int(DuckDB.first(answer)) == (try mirror.count(table)), "\(table.name).csv")
            }
            for (table, answer) in zip(nonEmpty, jsonCounts) {
                #expect(Int(DuckDB.first(answer)) == (try mirror.count(table)), "\(table.name).jsonl")
            }
            #expect(try mirror.count(ExportCatalog.table("appointments")!) > 100)
            // Typed columns, as DuckDB infers them from the CSV alone.
            let types = try await DuckDB.query(
                [
                    "SELECT typeof(day), typeof(scheduled_time), typeof(is_break), typeof(duration) FROM read_csv('appointments.csv') LIMIT 1",
                    "SELECT typeof(price_cents) FROM read_csv('line_items.csv') LIMIT 1",
                    "SELECT first_name FROM read_csv('patients.csv', all_varchar = true) WHERE id = '10007'",
                    "SELECT first_name FROM read_json('patients.jsonl', format = 'newline_delimited') WHERE id = 10007",
                ], in: folder)
            #expect(types[0].first == ["DATE", "TIMESTAMP", "BOOLEAN", "BIGINT"])
            #expect(types[1].first == ["BIGINT"])
            #expect(types[2].first == ["'=HYPERLINK(\"http://x\")"], "a formula stays text in the CSV")
            #expect(types[3].first == ["=HYPERLINK(\"http://x\")"], "JSON lines keep the value as it is")

            // The stream: every row of the mirror arrived as an event, none twice.
            let stream = try await DuckDB.query(
                [
                    "SELECT count(*) FROM read_json('events.jsonl', format = 'newline_delimited')",
                    """
                    SELECT data.table, sum(CASE data.action WHEN 'create' THEN 1 WHEN 'delete' THEN -1 ELSE 0 END)
                    FROM read_json('events.jsonl', format = 'newline_delimited') GROUP BY 1
                    """,
                    "SELECT count(DISTINCT id), min(specversion), count(*) FILTER (WHERE source NOT LIKE 'urn:chronoterm:stream:%') "
                        + "FROM read_json('events.jsonl', format = 'newline_delimited')",
                ], in: folder)
            let kept = try mirror.mirror.read { db in try EventLog.kept(in: db) }
            #expect(Int(DuckDB.first(stream[0])) == kept)
            let net = Dictionary(uniqueKeysWithValues: stream[1].compactMap { row in row[0].map { ($0, Int(row[1] ?? "") ?? 0) } })
            for table in tables {
                #expect(net[table.name, default: 0] == (try mirror.count(table)), "\(table.name): creates less deletes")
            }
            #expect(stream[2].first == [String(kept), "1.0", "0"])
            #expect(try await sandbox.adminJSON("requests").int("total") == requestsBefore, "an export spends no request")

            let trail = try await Chronoterm.run(["audit", "--csv"], environment: env)
            #expect(trail.output.contains("export.snapshot") && trail.output.contains("export.events"), "each run is recorded")
            #expect(trail.output.contains("appointments \(try mirror.count(ExportCatalog.table("appointments")!))"), "with its rows")
        }
    }

    @Test("the stream resumes after an id, picks out check-ins, and says so when what was asked for is no longer kept")
    func resuming() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let mirror = try ProfileMirror(env)
            let newest = try mirror.mirror.read { db in try EventLog.position(in: db).newest }
            // A visit checked in at DrChrono, read by the next pass.
            let token = try await sandbox.token()
            let today = try await sandbox.adminJSON("clock").dateTime("now")!
            let visit = try #require(
                try await sandbox.all("/api/appointments", query: ["date": today.dateString], token: token).rows.first {
                    $0.string("status") != "Checked In" && $0["appt_is_break"] != .bool(true)
                })
            _ = try await sandbox.admin("PATCH", "records/appointments/\(visit.string("id")!)", ["status": "Checked In"])
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)

            let after = try await Chronoterm.run(["events", "--since", String(newest)], environment: env)
            let lines = after.output.split(separator: "\n").compactMap { try? JSONValue.parse(Data($0.utf8)).objectValue }
            #expect(lines.map { $0.string("type") } == ["appointment.checked_in"], "\(after.output)")
            #expect(lines.first?.string("subject") == "appointments/\(visit.string("id")!)")
            #expect(lines.first?["data"]?.objectValue?["changed"] == .array(["status", "updated_at"]), "what changed")
            #expect(after.errors.contains("resume with --since \(newest + 1)"), "\(after.errors)")
            let picked = try await Chronoterm.run(["events", "--type", "appointment.checked_in,clinical_note.signed"], environment: env)
            #expect(picked.output.split(separator: "\n").count == 1)
            let wrong = try await Chronoterm.run(["events", "--type", "appointment.teleported"], environment: env)
            #expect(wrong.status != 0 && wrong.errors.contains("No such event type: appointment.teleported"), "\(wrong.errors)")

            // Following: a change stored while `events --follow` runs is printed at once;
            // Ctrl-C (SIGINT) ends it with the number to resume from, and the run is recorded.
            let (following, followOutput, followErrors) = try Chronoterm.start(
                ["events", "--follow", "--type", "appointment", "--since", String(newest + 1)], environment: env)
            _ = try await sandbox.admin("PATCH", "records/appointments/\(visit.string("id")!)", ["status": "In Room"])
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            usleep(1_000_000)
            kill(following.processIdentifier, SIGINT)
            await Chronoterm.waitForExit(following)
            let followSaid = await Chronoterm.readToEnd(followErrors)
            let printed = await Chronoterm.readToEnd(followOutput)
            #expect(following.terminationStatus == 0, "\(followSaid)")
            #expect(printed.contains("\"type\":\"appointment.in_room\""), "\(printed)")
            #expect(followSaid.contains("1 event; resume with --since"), "the change stored while following: \(followSaid)")
            let trail = try await Chronoterm.run(["audit", "--csv"], environment: env)
            #expect(trail.output.contains("following"), "the followed run is recorded")

            // Past the retention time: the old events are dropped, and asking for them is an error.
            try await mirror.mirror.pool.write { db in
                try db.execute(sql: "UPDATE events SET at = '2000-01-01T00:00:00.000Z' WHERE seq <= 10")
                _ = try EventLog.prune(keepingDays: 30, in: db)
            }
            let gone = try await Chronoterm.run(["events", "--since", "3"], environment: env)
            #expect(gone.status != 0 && gone.errors.contains("Events up to 10 are no longer kept"), "\(gone.errors)")
            #expect(gone.output.isEmpty, "no event is printed past a gap")
            let ahead = try await Chronoterm.run(["events", "--since", String(newest + 500)], environment: env)
            #expect(ahead.status != 0 && ahead.errors.contains("has not reached event"), "\(ahead.errors)")

            // A person's key reaches the console only: an export started through one is refused.
            var person = env
            person["SSH_ORIGINAL_COMMAND"] = "chronoterm export --format csv"
            let refused = try await Chronoterm.run(["export", "--format", "csv", "--output", "/tmp"], environment: person)
            #expect(refused.status != 0 && refused.errors.contains("office manager's"), "\(refused.errors)")
        }
    }

    @Test("a mistake in the command is said in words, with what to do, and nothing is written")
    func mistakes() async throws {
        let env = try AccountCommandTests().environment()
        let cases: [([String], String)] = [
            (["export", "visits", "--format", "csv"], "No table visits. The tables: doctors"),
            (["export", "--output", "/tmp"], "Say --format csv or --format jsonl"),
            (["export", "appointments", "--to", "postgresql://x@localhost/db"], "--to loads every table"),
            (["export", "--format", "csv", "--follow"], "--follow and --reload are for --to"),
            (["export", "--format", "csv", "--output", "-"], "--output - writes one table"),
            (["export", "--to", "mysql://x@localhost/db"], "is not a PostgreSQL URL"),
            (["export", "--format", "csv"], "has no local copy yet: run chronoterm sync first"),
            (["events", "--type", "visit"], "No such event type: visit"),
        ]
        for (arguments, said) in cases {
            let ran = try await Chronoterm.run(arguments, environment: env)
            #expect(ran.status != 0 && ran.errors.contains(said), "\(arguments.joined(separator: " ")): \(ran.errors)")
        }
        let listed = try await Chronoterm.run(["export", "--list"], environment: env)
        #expect(listed.output.contains("patients — The practice's patients. PHI."), "\(listed.output.prefix(500))")
        #expect(listed.output.contains("date_of_birth    date"), "\(listed.output.prefix(2000))")
    }
}
