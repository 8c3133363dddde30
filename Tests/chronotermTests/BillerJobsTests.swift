import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// The biller's day beyond keying charges, in the real binary in tmux against the sandbox.
@Suite("The biller's jobs in a terminal", .serialized)
struct BillerJobsTests {
    /// A visit on 5 January 2027 at 9:00 with Dr. 101, as the desk booked it; its id.
    static func visit(_ sandbox: RunningSandbox, patient: Int, token: String) async throws -> String {
        try #require(
            try await sandbox.send(
                "POST", "/api/appointments", token: token,
                json: [
                    "doctor": 101, "office": 1, "exam_room": 1, "patient": .int(patient), "duration": 30,
                    "scheduled_time": "2027-01-05T09:00:00", "reason": "Follow-up",
                ]
            ).json?.objectValue?.string("id"))
    }

    @Test("a biller corrects a line item's code and price and voids another; each reaches DrChrono once")
    func correctAndVoid() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            // A visit with two charges, as a desk left them.
            let visit = try await Self.visit(sandbox, patient: 10005, token: token)
            var items: [Int] = []
            for code in ["99213", "93000"] {
                let made = try await sandbox.send(
                    "POST", "/api/line_items", token: token,
                    json: [
                        "appointment": .int(Int(visit)!), "code": .string(code), "procedure_type": "C", "diagnosis_pointers": ["I10"],
                        "price": 100,
                    ])
                items.append(try #require(made.json?.objectValue?.int("id")))
            }
            let (_, tmux) = try await FrontDeskJobsTests.console(sandbox, ["--date", "2027-01-05"])
            defer { tmux.kill() }
            try await tmux.press("4")
            _ = try await tmux.waitFor("Total $200.00 for 2 line items")

            // e: which one? the first; the code and the price corrected.
            try await tmux.press("e")
            _ = try await tmux.waitFor("Correct which line item")
            try await tmux.press("Enter")
            _ = try await tmux.waitFor("Correct the line item for")
            try await tmux.press("C-u")
            try await tmux.type("99214")
            for _ in 0..<4 { try await tmux.press("Tab") }
            try await tmux.press("C-u")
            try await tmux.type("150")
            try await tmux.press("Enter")
            _ = try await tmux.waitFor("Corrected to 99214 ($150.00)")
            _ = try await tmux.waitFor("Total $250.00 for 2 line items")

            // v: the second, after the question.
            try await tmux.press("v")
            _ = try await tmux.waitFor("Void which line item")
            try await tmux.press("j", "Enter")
            _ = try await tmux.waitFor("Void 93000 ($100.00)")
            try await tmux.press("y")
            _ = try await tmux.waitFor("Voided 93000")
            _ = try await tmux.waitFor("Total $150.00 for 1 line item")

            let corrected = try await eventually("the correction at the sandbox") {
                try await sandbox.send("GET", "/api/line_items/\(items[0])", token: token).json?.objectValue
            } until: {
                $0?.string("code") == "99214" && $0?["price"]?.doubleValue == 150
            }
            #expect(corrected?.strings("diagnosis_pointers") == ["I10"], "what was not changed is kept")
            _ = try await eventually("the void at the sandbox") {
                try await sandbox.send("GET", "/api/line_items/\(items[1])", token: token).status
            } until: {
                $0 == 404
            }
            let writes = try await FrontDeskJobsTests.writes(sandbox).filter { ($0.string("path") ?? "").hasPrefix("/api/line_items/") }
            #expect(writes.map { $0.string("method") ?? "" }.sorted() == ["DELETE", "PATCH"], "once each: \(writes)")
        }
    }

    @Test("a biller applies a billing profile: its charges reach DrChrono once each, priced from the fee schedule for the patient's payer")
    func applyProfile() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let visit = try await Self.visit(sandbox, patient: 10006, token: token)
            // What the practice charges for 99214 to this patient: their payer's agreed price, else the base.
            let patient = try #require(try await sandbox.send("GET", "/api/patients/10006", token: token).json?.objectValue)
            let payer = patient["primary_insurance"]?.objectValue?.string("insurance_payer_id") ?? ""
            let fees = try await sandbox.all("/api/fee_schedules", query: ["code": "99214", "doctor": "101"], token: token).rows
            let agreed = fees.first { !payer.isEmpty && $0.string("payer_id") == payer }?["insured_price"]?.doubleValue
            let price = try #require(agreed ?? fees.first { $0.string("payer_id") == "" }?["base_price"]?.doubleValue)

            let (_, tmux) = try await FrontDeskJobsTests.console(sandbox, ["--date", "2027-01-05"])
            defer { tmux.kill() }
            try await tmux.press("4")
            _ = try await tmux.waitFor("No line items yet")
            try await tmux.press("L")
            _ = try await tmux.waitFor("Billing profile for")
            try await tmux.press("j", "Enter")  // the profiles by name: Annual physical, Diabetes visit, Flu shot, Hypertension follow-up
            _ = try await tmux.waitFor("Added Diabetes visit for")
            let items = try await eventually("the profile's charges at the sandbox") {
                try await sandbox.all("/api/line_items", query: ["appointment": visit], token: token).rows
            } until: {
                $0.count == 2
            }
            #expect(Set(items.compactMap { $0.string("code") }) == ["99214", "80053"])
            #expect(items.allSatisfy { $0.strings("diagnosis_pointers") == ["E11.9"] })
            #expect(items.first { $0.string("code") == "99214" }?["price"]?.doubleValue == price, "the fee schedule's price for this payer")
        }
    }

    @Test(
        "a biller finds I10 by typing essential hypertension, charges it, marks the visit Bill Insurance and notes the claim; each once at DrChrono"
    )
    func lookUpCodeAndBill() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let visit = try await Self.visit(sandbox, patient: 10007, token: token)
            let (_, tmux) = try await FrontDeskJobsTests.console(sandbox, ["--date", "2027-01-05"])
            defer { tmux.kill() }
            try await tmux.press("4")
            _ = try await tmux.waitFor("No line items yet")
            try await tmux.press("a")
            _ = try await tmux.waitFor("Line item for")
            try await tmux.type("99213")
            for _ in 0..<5 { try await tmux.press("Tab") }
            try await tmux.type("essential hypertension")
            let listed = try await tmux.waitFor("Codes for \"essential hypertension\" (ICD-10-CM 2026)")
            #expect(listed.contains("> I10      Essential (primary) hypertension"), "the general code first, chosen:\n\(listed)")
            try await tmux.press("Enter")  // puts it in
            _ = try await tmux.waitFor("  I10      Essential (primary) hypertension")
            try await tmux.press("Enter")  // adds the charge
            _ = try await tmux.waitFor("Added 99213")

            try await tmux.press("B")
            _ = try await tmux.waitFor("Bill Secondary Insurance")
            try await tmux.press("Enter")  // the first: Bill Insurance
            _ = try await tmux.waitFor("Bill Insurance — queued for DrChrono")

            // A note on the claim shows under the visit at once, marked queued, and stays once DrChrono has it.
            try await tmux.press("M")
            _ = try await tmux.waitFor("'s claim")
            try await tmux.type("Resubmitted with modifier 25")
            try await tmux.press("Enter")
            // The message is drawn with the queueing; the notes with the read the mirror's move sets off, a frame later
            // on a busy host — both are on the screen within the wait.
            let noted = try await tmux.waitUntil(timeout: 10, "the note under the visit, marked queued") { screen in
                screen.contains("Noted on") && screen.contains("Claim notes")
                    && screen.split(separator: "\n").contains { $0.contains("Resubmitted with modifier 25") }
            }
            #expect(noted.contains("Claim notes"), "\(noted)")
            let kept = try await tmux.waitUntil(timeout: 60, "the note kept as DrChrono's") { screen in
                screen.split(separator: "\n").contains { $0.contains("Resubmitted with modifier 25") && !$0.contains("queued") }
            }
            #expect(!kept.contains("[ct:"), "the queue's marker is not the biller's words:\n\(kept)")

            let item = try await eventually("the charge at the sandbox") {
                try await sandbox.all("/api/line_items", query: ["appointment": visit], token: token).rows.first
            } until: {
                $0 != nil
            }
            #expect(item?.string("code") == "99213" && item?.strings("diagnosis_pointers") == ["I10"])
            _ = try await eventually("the claim's status at the sandbox") {
                try await sandbox.send("GET", "/api/appointments/\(visit)", token: token).json?.objectValue?.string("billing_status")
            } until: {
                $0 == "Bill Insurance"
            }
            let writes = try await FrontDeskJobsTests.writes(sandbox).filter {
                $0.string("method") != "GET" && ($0.string("path") ?? "").hasPrefix("/api/line_items")
                    || ($0.string("path") ?? "") == "/api/appointments/\(visit)"
            }
            #expect(writes.count == 2, "one charge, one status: \(writes)")
            let notes = try await sandbox.all("/api/claim_billing_notes", query: ["appointment": visit], token: token).rows
            #expect(notes.count == 1 && notes.first?.string("text")?.hasPrefix("Resubmitted with modifier 25") == true, "\(notes)")
        }
    }

    @Test("a biller reads a day's totals per office and doctor, and the day's sum matches DrChrono's line items and payments")
    func dayTotals() async throws {
        // The sandbox on the real clock: the console keeps the last month's payments by its
        // own calendar, so the practice's history must be this month's.
        try await withSandbox({ $0.startTime = nil }) { sandbox in
            let token = try await sandbox.token()
            // The last weekday before today: visits charged and copays taken.
            var date = Date().addingTimeInterval(-86_400)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = RunningSandbox.practiceZone
            while calendar.isDateInWeekend(date) { date.addTimeInterval(-86_400) }
            let day = LocalDateTime(date, in: RunningSandbox.practiceZone).dateString
            let items = try await sandbox.all("/api/line_items", query: ["service_date": day], token: token).rows
            let payments = (try await sandbox.adminJSON("records/patient_payments")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
                .filter { $0.string("received_date") == day }
            #expect(!items.isEmpty && !payments.isEmpty, "a day with charges and payments")
            func cents(_ value: JSONValue?) -> Int {
                Int(((value?.doubleValue ?? value?.stringValue.flatMap(Double.init)) ?? 0) * 100 + 0.5)
            }
            let billed = items.reduce(0) { $0 + cents($1["billed"]) }
            let adjusted = items.reduce(0) { $0 + cents($1["adjustment"]) }
            let insurance = items.reduce(0) { $0 + cents($1["ins1_paid"]) }
            let received = payments.reduce(0) { $0 + cents($1["amount"]) }

            let (_, tmux) = try await FrontDeskJobsTests.console(sandbox, ["--date", day])
            defer { tmux.kill() }
            try await tmux.press("4")
            try await tmux.press("T")
            let screen = try await tmux.waitFor("Day total ")
            let total = try #require(screen.split(separator: "\n").first { $0.contains("Day total ") })
            let columns = total.split(separator: "│").first { $0.contains("Day total") }?.split(separator: " ").map(String.init) ?? []
            // Day total, charges, billed, adjusted, insurance paid, payments, received, net
            func money(_ cents: Int) -> String {
                let formatter = NumberFormatter()
                formatter.numberStyle = .decimal
                formatter.minimumFractionDigits = 2
                formatter.maximumFractionDigits = 2
                formatter.locale = Locale(identifier: "en_US")
                return "$" + (formatter.string(from: NSNumber(value: Double(cents) / 100)) ?? "?")
            }
            #expect(
                Array(columns.dropFirst(2).prefix(7))
                    == [
                        String(items.count), money(billed), money(adjusted), money(insurance), String(payments.count), money(received),
                        money(billed - adjusted - insurance - received),
                    ], "\(total)")
            #expect(screen.contains("Dr. "), "per doctor")
        }
    }
}
