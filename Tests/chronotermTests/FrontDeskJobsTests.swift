import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// The front desk's day beyond booking, in the real binary in tmux against the sandbox:
/// the screen is checked, then the sandbox, which must hold each write exactly once.
@Suite("The front desk's jobs in a terminal", .serialized)
struct FrontDeskJobsTests {
    /// A console (in tmux, the machine's today) on the sandbox's practice, loaded by
    /// `sync --once` as a desk's first morning would.
    static func console(_ sandbox: RunningSandbox, _ arguments: [String] = []) async throws -> ([String: String], Tmux) {
        let env = try await Chronoterm.loggedIn(to: sandbox)
        let synced = try await Chronoterm.run(["sync", "--once"], environment: env)
        #expect(synced.status == 0, "\(synced.errors)")
        let tmux = try await Tmux.start(arguments, environment: env)
        _ = try await tmux.waitFor("Schedule")
        return (env, tmux)
    }

    static func doctorName(_ sandbox: RunningSandbox, _ id: Int) async throws -> String {
        try await sandbox.send("GET", "/api/doctors/\(id)", token: try await sandbox.token()).json?.objectValue?.string("last_name") ?? "?"
    }

    /// The writes the sandbox took, in order.
    static func writes(_ sandbox: RunningSandbox) async throws -> [JSONObject] {
        (try await sandbox.adminJSON("writes")["writes"]?.arrayValue ?? []).compactMap(\.objectValue)
    }

    @Test(
        "a new caller is registered with insurance and booked in one sitting, checked in with their copay taken; a new address reaches DrChrono; a second chart is refused"
    )
    func registerBookAndChange() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let (_, tmux) = try await Self.console(sandbox, ["--date", "2027-01-05"])
            defer { tmux.kill() }
            _ = try await tmux.waitFor("Tuesday 1/5/2027")

            // N on the schedule: the form, filled as the caller spells it out.
            try await tmux.press("N")
            _ = try await tmux.waitFor("New patient")
            try await tmux.type("Odalys")
            try await tmux.press("Tab")
            try await tmux.type("Vantongeren")
            try await tmux.press("Tab")
            try await tmux.type("3/14/1979")
            try await tmux.press("Tab", "Right", "Tab")  // Sex: Female
            try await tmux.type("(555) 010-3344")
            try await tmux.press("Tab", "Tab")
            try await tmux.type("odalys.v@example.org")
            try await tmux.press("Tab")
            try await tmux.type("12 Birch Lane")
            try await tmux.press("Tab")
            try await tmux.type("Springfield")
            try await tmux.press("Tab")
            try await tmux.type("IL")
            try await tmux.press("Tab")
            try await tmux.type("62701")
            try await tmux.press("Tab", "Tab", "Tab")  // language, doctor: as offered
            try await tmux.type("prairie")
            _ = try await tmux.waitFor("→ Prairie Mutual Insurance")
            try await tmux.press("Right", "Tab")
            try await tmux.type("PPO")
            try await tmux.press("Tab")
            try await tmux.type("XJ5550001")
            try await tmux.press("Tab")
            try await tmux.type("G-77")
            try await tmux.press("Tab")
            try await tmux.type("25")
            try await tmux.press("Enter")
            var screen = try await tmux.waitFor("Registered Odalys Vantongeren — queued for DrChrono")
            #expect(screen.contains("Vantongeren"), "the new patient is found at once:\n\(screen)")

            // Booked before DrChrono has confirmed them: b, Enter on the free slot, Enter.
            try await tmux.press("b")
            _ = try await tmux.waitFor("go to an empty slot")
            try await tmux.press("Enter")
            _ = try await tmux.waitFor("Enter book")
            try await tmux.press("Enter")
            screen = try await tmux.waitFor("Booked Vantongeren, Odalys")

            let patients = try await eventually("the new patient at the sandbox") {
                try await sandbox.all("/api/patients", query: ["last_name": "Vantongeren"], token: token).rows
            } until: {
                $0.count == 1
            }
            let patient = try #require(patients.first)
            let patientId = try #require(patient.int("id"))
            let card = patient["primary_insurance"]?.objectValue ?? [:]
            #expect(card.string("insurance_company") == "Prairie Mutual Insurance")
            #expect(card.string("insurance_payer_id") == "SBX03", "the payer's id comes from the practice's list")
            #expect(card.string("insurance_id_number") == "XJ5550001")
            #expect(card.string("insurance_group_number") == "G-77")
            #expect(card.string("insurance_plan_name") == "PPO")
            #expect(patient.string("date_of_birth")?.hasPrefix("1979-03-14") == true)
            #expect(patient.string("gender") == "Female")
            #expect(patient.string("zip_code") == "62701")
            let visits = try await eventually("the booking for the new patient") {
                try await sandbox.all("/api/appointments", query: ["date": "2027-01-05"], token: token).rows.filter {
                    $0.int("patient") == patientId
                }
            } until: {
                $0.count == 1
            }
            #expect(visits.count == 1)
            let visitId = try #require(visits.first?.string("id"))

            // Checked in: the copay from the card is asked for; Enter takes it in cash.
            try await tmux.press("c")
            // The box itself: the foot line says "copay $25.00 due" already.
            screen = try await tmux.waitUntil("the check-in box with its copay") {
                $0.contains("Check in Vantongeren, Odalys") && $0.contains("copay $25.00")
            }
            #expect(screen.contains("Check in Vantongeren, Odalys"), "\(screen)")
            try await tmux.press("Enter")
            _ = try await tmux.waitFor("Checked In, copay $25.00 cash taken — queued")
            let payments = try await eventually("the copay at the sandbox") {
                try await sandbox.all("/api/patient_payments", query: ["patient": String(patientId)], token: token).rows
            } until: {
                $0.count == 1
            }
            #expect(payments.first?.string("payment_transaction_type") == "COPAY" && payments.first?.string("payment_method") == "CASH")
            #expect(payments.first?["amount"]?.doubleValue == 25 && payments.first?.int("appointment") == Int(visitId))
            _ = try await eventually("the check-in at the sandbox") {
                try await sandbox.all("/api/appointments", query: ["date": "2027-01-05"], token: token).rows.first {
                    $0.string("id") == visitId
                }?.string("status")
            } until: {
                $0 == "Checked In"
            }
            // The day's collections add up.
            try await tmux.press("C")
            screen = try await tmux.waitFor("Day total: 1 payment, $25.00")
            #expect(screen.contains("Vantongeren, Odalys") && screen.contains("Cash · Copay"), "\(screen)")
            try await tmux.press("Escape")

            // A new address: / the name, Esc to the list, e, down to Address, retype, Enter.
            try await tmux.findPatient("Vantongeren")
            try await tmux.press("e")
            _ = try await tmux.waitFor("Change Odalys Vantongeren")
            for _ in 0..<7 { try await tmux.press("Tab") }
            try await tmux.press("C-u")
            try await tmux.type("40 Elm Street")
            try await tmux.press("Enter")
            _ = try await tmux.waitFor("Changed Odalys Vantongeren — queued")
            let changed = try await eventually("the new address at the sandbox") {
                try await sandbox.all("/api/patients", query: ["last_name": "Vantongeren"], token: token).rows.first
            } until: {
                $0?.string("address") == "40 Elm Street"
            }
            #expect(changed?["primary_insurance"]?.objectValue?.string("insurance_id_number") == "XJ5550001", "the card is kept")

            // The same caller again: stopped before anything is queued, the chart named.
            try await tmux.press("N")
            _ = try await tmux.waitFor("New patient")
            try await tmux.type("odalys")
            try await tmux.press("Tab")
            try await tmux.type("VANTONGEREN")
            try await tmux.press("Tab")
            try await tmux.type("03/14/1979")
            try await tmux.press("Tab", "Right", "Enter")
            screen = try await tmux.waitFor("is already chart SBX")
            #expect(screen.contains("Ctrl-O open that chart"), "\(screen)")
            try await tmux.press("C-o")
            // The chart itself (its header), not the form's words still on screen.
            _ = try await tmux.waitFor("Vantongeren, Odalys · born 3/14/1979")

            let writes = try await Self.writes(sandbox)
            #expect(writes.filter { $0.string("path") == "/api/patients" && $0.string("method") == "POST" }.count == 1, "\(writes)")
            #expect(writes.filter { $0.string("path") == "/api/patients/\(patientId)" && $0.string("method") == "PATCH" }.count == 1)
            #expect(writes.filter { $0.string("path") == "/api/patient_payments" }.count == 1, "one payment")
        }
    }

    @Test("tomorrow's worklist: a visit confirmed and another noted as messaged, each reaching DrChrono once; coverage flagged")
    func confirmTomorrow() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            // Two visits tomorrow by the machine's clock in the practice's time zone (the
            // console's tomorrow; the sandbox's own clock is set in the past), not yet confirmed.
            let zone = try #require(TimeZone(identifier: try await sandbox.adminJSON("clock").string("time_zone") ?? ""))
            let tomorrow = LocalDateTime(Date(), in: zone).startOfDay.adding(days: 1)
            var ids: [String] = []
            for (index, patient) in [10001, 10002].enumerated() {
                let made = try await sandbox.send(
                    "POST", "/api/appointments", token: token,
                    json: [
                        "doctor": 101, "office": 1, "exam_room": 1, "patient": .int(patient), "duration": 30, "reason": "Follow-up",
                        "scheduled_time": .string(tomorrow.adding(minutes: 7 * 60 + index * 30).description), "notes": "walker",
                    ])
                ids.append(try #require(made.json?.objectValue?.string("id"), "\(made.status)"))
            }
            let first = try #require(try await sandbox.send("GET", "/api/patients/10001", token: token).json?.objectValue)
            let (_, tmux) = try await Self.console(sandbox)
            defer { tmux.kill() }
            try await tmux.press("W")
            var screen = try await tmux.waitFor("To confirm:")
            #expect(screen.contains("2 to confirm"), "\(screen)")
            #expect(screen.contains(first.string("last_name") ?? "?"), "\(screen)")
            #expect(screen.contains("no eligibility check"), "DrChrono has not checked visits booked today: \(screen)")

            try await tmux.press("y")
            _ = try await tmux.waitFor("Confirmed — queued")
            try await tmux.press("j")
            try await tmux.press("m")
            screen = try await tmux.waitFor("left a message, noted on the visit — queued")
            let statuses = try await eventually("both at the sandbox") {
                try await sandbox.all("/api/appointments", query: ["date": tomorrow.dateString], token: token).rows.filter {
                    ids.contains($0.string("id") ?? "")
                }
            } until: {
                $0.count == 2 && $0.contains { $0.string("status") == "Confirmed" }
                    && $0.contains { ($0.string("notes") ?? "").contains("Left message") }
            }
            let messaged = try #require(statuses.first { ($0.string("notes") ?? "").contains("Left message") })
            #expect(messaged.string("notes")?.hasPrefix("walker\nLeft message") == true, "the visit's notes are kept")
            #expect(messaged.string("status") == "", "a message left is not a confirmation")
            let writes = try await Self.writes(sandbox).filter { ($0.string("path") ?? "").hasPrefix("/api/appointments/") }
            #expect(writes.count == 2, "one write each: \(writes)")
        }
    }

    @Test("find-slot: a patient's next free Follow-up with their doctor, found from the mirror and booked with its visit type")
    func findAndBookSlot() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let patient = try #require(try await sandbox.send("GET", "/api/patients/10003", token: token).json?.objectValue)
            let chart = try #require(patient.string("chart_id"))
            let doctor = try #require(patient.int("doctor"))
            let (_, tmux) = try await Self.console(sandbox)
            defer { tmux.kill() }
            try await tmux.findPatient(chart)
            try await tmux.press("f")
            var screen = try await tmux.waitFor("Next free slot for")
            #expect(screen.contains("Dr. \(try await Self.doctorName(sandbox, doctor))"), "the patient's own doctor: \(screen)")
            try await tmux.press("Tab", "Right", "Right")  // the visit types by name: Annual Physical, Follow-up
            _ = try await tmux.waitFor("Follow-up (15 min)")
            try await tmux.press("Enter")
            screen = try await tmux.waitFor("> ")
            screen = try await tmux.waitUntil("the slots found") { $0.contains("Enter find / book the slot") }
            try await tmux.press("Enter")
            screen = try await tmux.waitFor("Enter book")
            #expect(screen.contains("Follow-up (15 min)") && screen.contains("15 minutes"), "\(screen)")
            try await tmux.press("Enter")
            _ = try await tmux.waitFor("queued for DrChrono")
            let posted = try await eventually("the booking at the sandbox") {
                try await Self.writes(sandbox).filter { $0.string("path") == "/api/appointments" && $0.string("method") == "POST" }
            } until: {
                !$0.isEmpty
            }
            #expect(posted.count == 1, "booked once: \(posted)")
            let id = try #require(posted.first?["id"]?.stringValue)
            let visit = try #require(try await sandbox.send("GET", "/api/appointments/\(id)", token: token).json?.objectValue)
            #expect(visit.int("patient") == 10003 && visit.int("profile") != nil)
            #expect(visit.int("duration") == 15 && visit.int("doctor") == doctor && visit.string("reason") == "Follow-up visit")
            // Inside the doctor's work schedule: Monday to Friday, 8–12 and 1–5 — a 15-minute
            // visit may start at 11:45 or 4:45 (it ends as the hours do).
            let start = try #require(visit.dateTime("scheduled_time"))
            let minute = start.hour * 60 + start.minute
            #expect((1...5).contains(start.weekday) && ((480...705).contains(minute) || (780...1005).contains(minute)), "\(start)")
        }
    }

    @Test("attach-document: a scanned PDF, its path completed with Tab, reaches the patient's chart once, byte for byte")
    func attachScan() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let patient = try #require(try await sandbox.send("GET", "/api/patients/10004", token: token).json?.objectValue)
            let chart = try #require(patient.string("chart_id"))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-scans-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: folder) }
            let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".utf8)
            try pdf.write(to: folder.appendingPathComponent("insurance-card-front.pdf"))
            let before = try await sandbox.all("/api/documents", query: ["patient": "10004"], token: token).rows.count

            // The office manager names the inbox scans are attached from.
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let set = try await Chronoterm.run(["people", "folders", "--inbox", folder.path], environment: env)
            #expect(set.status == 0 && set.output.contains("Scans are attached from: \(folder.path)"), "\(set.output) \(set.errors)")
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let tmux = try await Tmux.start([], environment: env)
            defer { tmux.kill() }
            _ = try await tmux.waitFor("Schedule")
            try await tmux.findPatient(chart)
            try await tmux.press("A")
            _ = try await tmux.waitFor("Attach to")
            try await tmux.type("ins")
            try await tmux.press("Tab")
            var screen = try await tmux.waitFor("insurance-card-front.pdf")
            #expect(screen.contains("insurance card front"), "the description comes from the file's name: \(screen)")
            try await tmux.press("Enter")
            screen = try await tmux.waitFor("to \(patient.string("last_name") ?? "?")")
            _ = try await tmux.waitFor("chart — queued for DrChrono")
            let documents = try await eventually("the scan at the sandbox") {
                try await sandbox.all("/api/documents", query: ["patient": "10004"], token: token).rows
            } until: {
                $0.count == before + 1
            }
            let made = try #require(documents.first { $0.string("description") == "insurance card front" })
            #expect(try await sandbox.send("GET", made.string("document") ?? "").body == pdf, "byte for byte")
            #expect(try await Self.writes(sandbox).filter { $0.string("path") == "/api/documents" }.count == 1)
        }
    }
}
