import DrChronoAPI
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Testing

@Suite("The write queue under faults and kill -9")
struct WriteQueueFaultTests {
    @Test(
        "1,250 mixed writes — bookings, check-ins, charges and corrections and voids of charges, claim statuses and notes, copays, new patients, their changes and bookings — through 5xx, dropped connections, latency and 429s, the pusher killed at random: each lands exactly once"
    )
    func thousandWrites() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let home = URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!)
            let directory = ProfileDirectory(name: "desk", root: home)
            // This test sends thousands of requests: lift the client's hourly ceiling
            // (the sandbox's limits are off; its 429s come from the fault below).
            var settings = try ProfileSettings.load(from: directory)
            settings.hourlyLimit = 1_000_000
            // A pusher killed mid-request leaves its write to be looked up once the request
            // has surely ended (the timeout and a margin): answers here take milliseconds.
            settings.requestTimeoutSeconds = 4
            try settings.save(to: directory)

            // 60 new patients, 40 of them with a changed address and a booking; 400
            // bookings in the evenings of weekends ahead (empty), each doctor in their own
            // room; 300 check-ins on them; 300 charges, each a code of its own; 50 copays,
            // each an amount of its own.
            let mirror = try MirrorDatabase.open(at: directory.file("mirror.sqlite").path)
            // Forty of the practice's charges, as the biller's mirror holds them: twenty to
            // correct, twenty to void.
            let served = (try await sandbox.adminJSON("records/line_items")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
                .filter { (3_000_001...3_000_040).contains($0.int("id") ?? 0) }
            try await mirror.pool.write { db in try MirrorWriter.store(served, as: .lineItems, in: db) }
            let rooms = [(101, 1, 1), (102, 2, 1), (103, 1, 2)]
            let now = LocalDateTime(Date(), in: .current)
            let firstSunday = now.startOfDay.adding(days: 7 - now.startOfDay.weekday + 7)
            try await mirror.pool.write { db in
                var newPatients: [Int] = []
                for n in 0..<60 {
                    let born = LocalDateTime(year: 1960, month: 1, day: 1).adding(days: n * 211)
                    newPatients.append(
                        try Outbox.register(
                            patient: [
                                "first_name": .string("Case\(n)"), "last_name": "Faultcase", "gender": "Female", "doctor": 101,
                                "date_of_birth": .string(born.dateString),
                                "primary_insurance": ["insurance_company": "Summit PPO", "insurance_id_number": .string("F\(n)")],
                            ], in: db, now: now))
                }
                for n in 0..<40 {
                    try Outbox.updatePatient(newPatients[n], changes: ["address": .string("Changed \(n)")], in: db, now: now)
                }
                var locals: [String] = []
                for n in 0..<400 {
                    let (doctor, office, room) = rooms[n % 3]
                    let slot = n / 3  // 134 slots: 4 weekend days of 34 quarter-hours from 13:00
                    let day = firstSunday.adding(days: (slot / 34) * 7)
                    var booking = Outbox.Booking(
                        doctor: doctor, office: office, examRoom: room, patient: n >= 360 ? newPatients[n - 360] : 10001 + n % 200,
                        scheduledTime: day.adding(minutes: 13 * 60 + (slot % 34) * 15), duration: 15)
                    booking.notes = "w-\(String(format: "%04d", n)) ;"
                    locals.append(try Outbox.book(booking, in: db, now: now))
                }
                for n in 0..<300 { try Outbox.setStatus(n % 2 == 0 ? "Confirmed" : "Arrived", appointment: locals[n], in: db, now: now) }
                for n in 0..<20 {
                    try Outbox.fixCharge(3_000_001 + n, changes: ChargeChange(price: Money(cents: (200 + n) * 100)), in: db, now: now)
                    try Outbox.voidCharge(3_000_021 + n, in: db, now: now)
                }
                for n in 0..<50 {
                    try Outbox.collect(
                        Outbox.Payment(
                            patient: 10001 + n % 200, appointment: locals[n], amountCents: 1001 + n, method: "CASH", kind: "COPAY"),
                        in: db, now: now)
                }
                // Thirty claims marked for billing, thirty notes on claims.
                for n in 0..<30 {
                    try Outbox.setBillingStatus("Bill Insurance", appointment: locals[100 + n], in: db, now: now)
                    try Outbox.noteClaim("Fault note \(n)", appointment: locals[130 + n], in: db, now: now)
                }
                for n in 0..<300 {
                    try Outbox.charge(
                        Outbox.Charge(code: String(80000 + n), procedureType: "C", diagnosisPointers: ["Z00.00"], priceCents: 5000),
                        appointment: locals[399 - n], in: db, now: now)
                }
            }
            #expect(try await mirror.pool.read { db in try Outbox.count(db) } == 1250)

            _ = try await sandbox.admin("PUT", "faults", ["spec": "5xx=0.03,drop=0.03,latency=0-10ms,429=0.01"])
            // Twelve pushers killed at random moments, then pushers left to finish.
            var kills = 0
            var runs = 0
            while try await mirror.pool.read({ db in try Outbox.count(db) }) > 0 && runs < 100 {
                runs += 1
                let (process, _, _) = try Chronoterm.start(["queue", "--push"], environment: env)
                if kills < 12 {
                    try await Task.sleep(nanoseconds: UInt64.random(in: 300_000_000...2_500_000_000))
                    if process.isRunning { kill(process.processIdentifier, SIGKILL); kills += 1 }
                }
                await Chronoterm.waitForExit(process)
            }
            _ = try await sandbox.admin("PUT", "faults", ["spec": "none"])
            #expect(kills >= 10, "the pusher was killed \(kills) times")
            let left = try await mirror.pool.read { db in try Outbox.entries(db) }
            #expect(left.isEmpty, "\(left.count) left: \(left.prefix(3).map { "\($0.kind) \($0.state) \($0.message ?? "")" })")

            // Exactly once, counted in the sandbox.
            let appointments = (try await sandbox.adminJSON("records/appointments?notes_contains=w-")["results"]?.arrayValue ?? [])
                .compactMap(\.objectValue)
            var byBooking: [String: [JSONObject]] = [:]
            for row in appointments {
                guard let notes = row.string("notes"), let range = notes.range(of: "w-") else { continue }
                byBooking[String(notes[range.lowerBound...].prefix(6)), default: []].append(row)
            }
            #expect(
                byBooking.count == 400 && byBooking.values.allSatisfy { $0.count == 1 },
                "\(byBooking.values.filter { $0.count != 1 }.count) bookings not exactly once")
            for n in 0..<300 {
                let status = byBooking[String(format: "w-%04d", n)]?.first?.string("status")
                #expect(status == (n % 2 == 0 ? "Confirmed" : "Arrived"), "booking \(n): \(status ?? "missing")")
            }
            let booked = Set(byBooking.values.compactMap { $0.first?.int("id") })
            let items = (try await sandbox.adminJSON("records/line_items")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
            let codes = items.filter { booked.contains($0.int("appointment") ?? -1) }.compactMap { $0.string("code") }
            #expect(codes.count == 300 && Set(codes).count == 300, "\(codes.count) charges, \(Set(codes).count) distinct, for 300")

            // Each claim marked, each note written once.
            for n in 0..<30 {
                let marked = byBooking[String(format: "w-%04d", 100 + n)]?.first
                #expect(marked?.string("billing_status") == "Bill Insurance", "claim status \(n)")
                let noted = try #require(byBooking[String(format: "w-%04d", 130 + n)]?.first?.string("id"))
                let notes = try await sandbox.all(
                    "/api/claim_billing_notes", query: ["appointment": noted], token: try await sandbox.token()
                ).rows
                #expect(
                    notes.count == 1 && notes.first?.string("text")?.hasPrefix("Fault note \(n) ") == true,
                    "claim note \(n): \(notes.count)")
            }

            // Each correction made, each void once.
            let token = try await sandbox.token()
            for n in 0..<20 {
                let fixed = try await sandbox.send("GET", "/api/line_items/\(3_000_001 + n)", token: token).json?.objectValue
                #expect(fixed?["price"]?.doubleValue == Double(200 + n), "correction \(n)")
                #expect(try await sandbox.send("GET", "/api/line_items/\(3_000_021 + n)", token: token).status == 404, "void \(n)")
            }
            let voids = (try await sandbox.adminJSON("records/line_item_deletions")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
            #expect(
                voids.count == 20 && Set(voids.compactMap { $0.int("billing_line_item_id") }).count == 20, "\(voids.count) voids for 20")

            // Each copay once, on its visit.
            // The sandbox's own records: its clock is not the machine's, so not `since` today.
            let payments = (try await sandbox.adminJSON("records/patient_payments")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
            for n in 0..<50 {
                let visit = byBooking[String(format: "w-%04d", n)]?.first?.int("id")
                let taken = payments.filter { $0.int("appointment") == visit }
                #expect(taken.count == 1 && taken.first?["amount"]?.doubleValue == Double(1001 + n) / 100, "copay \(n): \(taken.count)")
            }

            // Each new patient once, with their card and (for 40) the new address; their
            // bookings under DrChrono's id for them.
            let registered = try await sandbox.all("/api/patients", query: ["last_name": "Faultcase"], token: try await sandbox.token())
                .rows
            let byName = Dictionary(grouping: registered) { $0.string("first_name") ?? "" }
            #expect(byName.count == 60 && byName.values.allSatisfy { $0.count == 1 }, "\(registered.count) registered for 60")
            for n in 0..<60 {
                let patient = byName["Case\(n)"]?.first
                #expect(patient?["primary_insurance"]?.objectValue?.string("insurance_id_number") == "F\(n)")
                #expect(patient?.string("address") == (n < 40 ? "Changed \(n)" : ""), "patient \(n)")
                if n < 40 {
                    let visit = byBooking[String(format: "w-%04d", 360 + n)]?.first
                    #expect(visit?.int("patient") == patient?.int("id"), "booking for new patient \(n)")
                }
            }
            let unconfirmed = try await mirror.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM patients WHERE id < 0") }
            #expect(unconfirmed == 0)

            // And the mirror matches: every booking under DrChrono's id, none still local.
            let local = try await mirror.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM appointments WHERE id LIKE 'local-%'") ?? -1
            }
            #expect(local == 0)
            let mirrored = try await mirror.pool.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM appointments WHERE notes LIKE 'w-%'")
            }
            #expect(Set(mirrored) == Set(byBooking.values.compactMap { $0.first?.string("id") }))
        }
    }
}
