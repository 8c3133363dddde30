import DrChronoAPI
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Testing

/// Exactly once across handovers: two `sync --daemon`s on one profile (one sending, one
/// standing by), DrChrono answering slowly, the sender killed -9 mid-push.
@Suite("The write queue across lease handovers and slow answers")
struct WriteQueueHandoverTests {
    /// A `sync --daemon` whose output goes nowhere (nobody reads it; a full pipe would stall it).
    static func daemon(_ env: [String: String]) throws -> ChildProcess {
        let environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        return try ChildProcess(Chronoterm.binary.path, ["sync", "--daemon"], environment: environment)
    }

    /// The process id in the sync lease's holder (`host:pid:random`), once one holds it.
    static func holder(_ mirror: MirrorDatabase) async throws -> pid_t? {
        try await mirror.pool.read { db in
            guard try db.tableExists("sync_lease"),
                let holder = try String.fetchOne(
                    db, sql: "SELECT holder FROM sync_lease WHERE expires_at > ?", arguments: [Date().timeIntervalSince1970])
            else { return nil }
            let parts = holder.split(separator: ":")
            return parts.count == 3 ? pid_t(parts[1]) : nil
        }
    }

    /// Waits until `done` (checked every 200 ms), `seconds` at most.
    static func wait(seconds: Double, until done: () async throws -> Bool) async throws {
        let end = Date().addingTimeInterval(seconds)
        while try await !done(), Date() < end { try await Task.sleep(for: .milliseconds(200)) }
    }

    /// One of each write kind, tagged `tag`: 17 writes.
    static func queueEveryKind(_ mirror: MirrorDatabase, tag: Int, charges: (fix: Int, void: Int)) async throws {
        let now = LocalDateTime(Date(), in: .current)
        let sunday = now.startOfDay.adding(days: 7 - now.startOfDay.weekday + 7 * (tag + 1))
        try await mirror.pool.write { db in
            var visits: [String] = []
            for n in 0..<4 {
                var booking = Outbox.Booking(
                    doctor: 101, office: 1, examRoom: 1, patient: 10001 + n, scheduledTime: sunday.adding(minutes: 13 * 60 + n * 30),
                    duration: 15)
                booking.notes = "h-\(tag)-\(n) ;"
                visits.append(try Outbox.book(booking, in: db, now: now))
            }
            try Outbox.setStatus("Confirmed", appointment: visits[0], in: db, now: now)
            try Outbox.setStatus("Arrived", appointment: visits[1], in: db, now: now)
            try Outbox.delete(appointment: visits[2], in: db, now: now)
            _ = try Outbox.charge(
                Outbox.Charge(code: String(81000 + tag), procedureType: "C", diagnosisPointers: ["Z00.00"], priceCents: 7_500),
                appointment: visits[3], in: db, now: now)
            try Outbox.setBillingStatus("Bill Insurance", appointment: visits[0], in: db, now: now)
            try Outbox.noteClaim("Handover note \(tag)", appointment: visits[1], in: db, now: now)
            let born = LocalDateTime(year: 1970, month: 1, day: 1).adding(days: tag * 97)
            var registered: [Int] = []
            for n in 0..<2 {
                registered.append(
                    try Outbox.register(
                        patient: [
                            "first_name": .string("Hand\(tag)x\(n)"), "last_name": "Overcase", "gender": "Female", "doctor": 101,
                            "date_of_birth": .string(born.adding(days: n).dateString),
                        ], in: db, now: now))
            }
            try Outbox.updatePatient(registered[0], changes: ["address": .string("Moved \(tag)")], in: db, now: now)
            _ = try Outbox.collect(
                Outbox.Payment(patient: 10004, appointment: visits[3], amountCents: 2_000 + tag, method: "CASH", kind: "COPAY"), in: db,
                now: now)
            _ = try Outbox.fixCharge(charges.fix, changes: ChargeChange(price: Money(cents: (300 + tag) * 100)), in: db, now: now)
            _ = try Outbox.voidCharge(charges.void, in: db, now: now)
            _ = try Outbox.upload(
                Outbox.Upload(
                    patient: 10001, doctor: 101, description: "Handover scan \(tag)", date: now.dateString, fileName: "scan-\(tag).pdf",
                    contentType: "application/pdf", bytes: Data("%PDF-1.4\n%handover \(tag)\n%%EOF\n".utf8)), in: db, now: now)
        }
    }

    @Test(
        "every write kind, answered in 1 s and 3 s (a payment in 12 s), pushed by daemons killed -9 mid-push and taken over by the one standing by: each reaches DrChrono once, confirmed once"
    )
    func handovers() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let directory = ProfileDirectory(name: "desk", root: URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!))
            var settings = try ProfileSettings.load(from: directory)
            // A write whose sender was killed is looked up 20 s after it left (the timeout, 15 s, and a margin).
            settings.requestTimeoutSeconds = 15
            settings.hourlyLimit = 100_000
            try settings.save(to: directory)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let mirror = try MirrorDatabase.open(at: directory.file("mirror.sqlite").path)
            let served = (try await sandbox.adminJSON("records/line_items")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
                .filter { (3_000_001...3_000_006).contains($0.int("id") ?? 0) }
            try await mirror.pool.write { db in try MirrorWriter.store(served, as: .lineItems, in: db) }

            var daemons = [try Self.daemon(env), try Self.daemon(env)]
            defer { for daemon in daemons where daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
            func killHolder() async throws {
                guard let pid = try await Self.holder(mirror), let daemon = daemons.first(where: { $0.processIdentifier == pid }) else {
                    return
                }
                kill(pid, SIGKILL)
                await Chronoterm.waitForExit(daemon)
                daemons.append(try Self.daemon(env))  // another stands by again
            }
            try await Self.wait(seconds: 10) { try await Self.holder(mirror) != nil }
            #expect(try await Self.holder(mirror) != nil, "a daemon holds the lease")

            // Slow answers; the holder killed mid-push, the one standing by takes over.
            for (tag, latency) in [(0, 1000), (1, 3000)] {
                _ = try await sandbox.admin("PUT", "faults", .object(["spec": .string("latency=\(latency)ms")]))
                try await Self.queueEveryKind(mirror, tag: tag, charges: (3_000_001 + tag, 3_000_004 + tag))
                try await Task.sleep(for: .milliseconds(Int.random(in: 2_500...6_000)))
                try await killHolder()
            }
            let drained = { try await mirror.pool.read { db in try Outbox.count(db) } }
            try await Self.wait(seconds: 420) { try await drained() == 0 }
            #expect(try await drained() == 0, "the 1 s and 3 s writes went out")
            // 12 s answers: a payment's sender killed a second after its request left.
            _ = try await sandbox.admin("PUT", "faults", ["spec": "latency=12000ms"])
            try await mirror.pool.write { db in
                _ = try Outbox.collect(
                    Outbox.Payment(patient: 10005, appointment: nil, amountCents: 4_321, method: "CASH", kind: "OTHR"), in: db,
                    now: LocalDateTime(Date(), in: .current))
            }
            let sending = { try await mirror.pool.read { db in try String.fetchOne(db, sql: "SELECT state FROM outbox") } }
            try await Self.wait(seconds: 30) { try await sending() == "sending" }
            try await Task.sleep(for: .seconds(1))
            try await killHolder()
            try await Self.wait(seconds: 300) { try await drained() == 0 }
            _ = try await sandbox.admin("PUT", "faults", ["spec": "none"])

            let left = try await mirror.pool.read { db in try Outbox.entries(db) }
            #expect(left.isEmpty, "\(left.count) left: \(left.prefix(3).map { "\($0.kind) \($0.state) \($0.message ?? "")" })")
            // Each write once at DrChrono: the sandbox's log of the writes it took.
            let writes = (try await sandbox.adminJSON("writes")["writes"]?.arrayValue ?? []).compactMap(\.objectValue)
            func count(_ method: String, _ prefix: String, exact: Bool = false) -> Int {
                writes.filter { write in
                    let path = write.string("path") ?? ""
                    return write.string("method") == method && (exact ? path == prefix : path.hasPrefix(prefix + "/"))
                }.count
            }
            #expect(count("POST", "/api/appointments", exact: true) == 8, "bookings")
            #expect(count("PATCH", "/api/appointments") == 6, "status changes and claim statuses")
            #expect(count("DELETE", "/api/appointments") == 2, "deletions")
            #expect(count("POST", "/api/line_items", exact: true) == 2, "charges")
            #expect(count("PATCH", "/api/line_items") == 2 && count("DELETE", "/api/line_items") == 2, "corrections and voids")
            #expect(count("POST", "/api/claim_billing_notes", exact: true) == 2, "claim notes")
            #expect(count("POST", "/api/patients", exact: true) == 4 && count("PATCH", "/api/patients") == 2, "patients")
            #expect(count("POST", "/api/patient_payments", exact: true) == 3, "payments, the 12 s one once")
            #expect(count("POST", "/api/documents", exact: true) == 2, "uploads")
            let twice = try await mirror.pool.read { db in
                try String.fetchAll(
                    db, sql: "SELECT reference FROM audit WHERE event = 'write.confirmed' GROUP BY reference HAVING COUNT(*) > 1")
            }
            #expect(twice.isEmpty, "confirmed twice in the audit trail: \(twice)")
        }
    }
}
