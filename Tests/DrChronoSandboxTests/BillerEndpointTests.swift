import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

@Suite("The biller's and clinician's lists: fee schedules, billing profiles, claim notes, labs")
struct BillerEndpointTests {
    @Test("fee schedules: a price per doctor and code, and per payer where the practice agreed one; filtered by code, payer, doctor")
    func feeSchedules() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let rows = try await sandbox.all("/api/fee_schedules", query: ["code": "99213", "doctor": "101"], token: token).rows
            #expect(Set(rows.compactMap { $0.string("payer_id") }) == ["", "SBX01", "SBX04"])
            let base = try #require(rows.first { $0.string("payer_id") == "" })
            let medicare = try #require(rows.first { $0.string("payer_id") == "SBX04" })
            #expect(base.string("code_type") == "CPT" && base["base_price"]?.doubleValue == 110)
            #expect((medicare["insured_price"]?.doubleValue ?? 0) < (base["insured_price"]?.doubleValue ?? 0))
            let payer = try await sandbox.all("/api/fee_schedules", query: ["payer_id": "SBX01", "doctor": "101"], token: token).rows
            #expect(!payer.isEmpty && payer.allSatisfy { $0.string("payer_id") == "SBX01" })
        }
    }

    @Test("billing profiles carry their codes as objects pointing at the profile's diagnoses")
    func billingProfiles() async throws {
        try await withSandbox { sandbox in
            let rows = try await sandbox.all("/api/billing_profiles", token: try await sandbox.token()).rows
            let physical = try #require(rows.first { $0.string("name") == "Annual physical" })
            let codes = physical.array("cpt_codes").compactMap(\.objectValue)
            #expect(codes.compactMap { $0.string("code") } == ["99396", "36415", "85025"])
            #expect(codes.first?.strings("diagnosis_pointers_icd10") == ["Z00.00"] && codes.first?.string("price") == "220.00")
        }
    }

    @Test("claim notes: posted on a visit and listed by it; no visit or no text, 400 naming the field")
    func claimNotes() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let made = try await sandbox.send(
                "POST", "/api/claim_billing_notes", token: token, json: ["appointment": 1_000_300, "text": "Resubmitted with modifier 25"])
            #expect(made.status == 201 && made.json?.objectValue?.string("created_by") == "frontdesk")
            let listed = try await sandbox.all("/api/claim_billing_notes", query: ["appointment": "1000300"], token: token).rows
            #expect(listed.map { $0.string("text") } == ["Resubmitted with modifier 25"])
            let bad = try await sandbox.send("POST", "/api/claim_billing_notes", token: token, json: ["appointment": 1])
            #expect(bad.status == 400 && bad.json?.objectValue?["appointment"] != nil && bad.json?.objectValue?["text"] != nil)
        }
    }

    @Test("lab orders and results: values with units and ranges, out-of-range ones flagged H or L; they need labs:read")
    func labs() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let orders = try await sandbox.all("/api/lab_orders", token: token).rows
            let order = try #require(orders.first?.int("id"))
            let results = try await sandbox.all("/api/lab_results", query: ["order": String(order)], token: token).rows
            #expect(!results.isEmpty && results.allSatisfy { $0.string("lab_order") == String(order) && $0.string("unit") != nil })
            let all = try await sandbox.all("/api/lab_results", token: token).rows
            let flagged = all.filter { ["H", "L"].contains($0.string("abnormal_status")) }
            #expect(!flagged.isEmpty && flagged.count < all.count, "\(flagged.count) of \(all.count) out of range")
            #expect(flagged.allSatisfy { $0.string("is_abnormal") == "True" })
            let noLabs = try #require(try await sandbox.authorize(scope: "patients:read")["access_token"]?.stringValue)
            #expect(try await sandbox.send("GET", "/api/lab_results", token: noLabs).status == 403)
        }
    }

    @Test("claims a week old are answered: allowed, paid, written off, some lines denied; the visit says where its claim stands")
    func answeredClaims() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let items = try await sandbox.all("/api/line_items", query: ["service_date": "2026-02-20"], token: token).rows
            try #require(!items.isEmpty)
            let answered = items.filter { ($0["allowed"]?.doubleValue ?? 0) > 0 }
            #expect(!answered.isEmpty, "a month and a half ago: signed, billed, answered")
            for item in answered {
                let billed = item["billed"]?.doubleValue ?? 0
                let allowed = item["allowed"]?.doubleValue ?? 0
                let adjustment = item["adjustment"]?.doubleValue ?? 0
                #expect(abs(billed - allowed - adjustment) < 0.005, "written off: what was billed beyond what was allowed")
                let paid = (item["ins1_paid"]?.doubleValue ?? 0) + (item["pt_paid"]?.doubleValue ?? 0)
                #expect(item["denied_flag"]?.boolValue == true ? paid == 0 : abs(paid - allowed) < 0.005)
            }
            let visit = try #require(answered.first?.int("appointment"))
            let appointment = try #require(try await sandbox.send("GET", "/api/appointments/\(visit)", token: token).json?.objectValue)
            #expect(["Paid in Full", "ERA Denied"].contains(appointment.string("ins1_status") ?? ""))
            #expect(appointment.string("last_billed_date")?.hasPrefix("2026-02-2") == true)
            let recent = try await sandbox.all("/api/line_items", query: ["service_date": "2026-03-03"], token: token).rows
            #expect(recent.allSatisfy { ($0["allowed"]?.doubleValue ?? 0) == 0 }, "yesterday's claims are not answered yet")
        }
    }

    @Test("vitals come only with verbose=true, for a patient roomed or seen; a generated document is a PDF with text")
    func vitalsAndDocuments() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let plain = try await sandbox.all("/api/appointments", query: ["date": "2026-03-03"], token: token).rows
            #expect(plain.allSatisfy { $0["vitals"] == nil }, "not without verbose")
            let verbose = try await sandbox.all("/api/appointments", query: ["date": "2026-03-03", "verbose": "true"], token: token).rows
            let statuses = verbose.map { $0.string("status") ?? "" }
            let seen = verbose.indices.filter { statuses[$0] == "Complete" }.map { verbose[$0] }
            try #require(seen.count > 0, "\(verbose.count) visits: \(statuses)")
            #expect(
                seen.allSatisfy {
                    ($0["vitals"]?.objectValue?.int("blood_pressure_1") ?? 0) > 0 && $0["vitals"]?.objectValue?.string("bmi") != nil
                })
            let booked = verbose.filter { $0.string("status") == "" || $0.string("status") == "Confirmed" }
            #expect(booked.allSatisfy { $0["vitals"]?.objectValue?.isEmpty == true }, "no vitals before the patient is roomed")

            let document = try #require(try await sandbox.all("/api/documents", token: token).rows.first)
            let file = try await sandbox.send("GET", try #require(document.string("document")), token: token)
            #expect(file.status == 200 && file.body.starts(with: Data("%PDF-1.4".utf8)))
            #expect(String(decoding: file.body, as: UTF8.self).contains(document.string("description") ?? "?"), "its text names what it is")
        }
    }

    @Test("results entered in charts: flagged, signed off once a week old, listed by patient and since")
    func enteredLabResults() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let rows = try await sandbox.all("/api/patient_lab_results", token: token).rows
            try #require(!rows.isEmpty)
            #expect(rows.contains { $0.string("lab_abnormal_flag") == "H" } && rows.contains { $0.string("lab_abnormal_flag") == "N" })
            #expect(rows.contains { $0.bool("doctor_signoff") == true } && rows.contains { $0.bool("doctor_signoff") == false })
            let weekAgo = LocalDateTime(year: 2026, month: 2, day: 25, hour: 10, minute: 30)
            #expect(rows.allSatisfy { row in row.bool("doctor_signoff") == ((row.dateTime("date_test_performed") ?? weekAgo) < weekAgo) })
            let patient = try #require(rows.first?.int("patient"))
            let own = try await sandbox.all("/api/patient_lab_results", query: ["patient": String(patient)], token: token).rows
            #expect(!own.isEmpty && own.allSatisfy { $0.int("patient") == patient })
            let march = LocalDateTime(year: 2026, month: 3, day: 1)
            let recent = try await sandbox.all("/api/patient_lab_results", query: ["since": "2026-03-01T00:00:00"], token: token).rows
            #expect(recent.allSatisfy { ($0.dateTime("updated_at") ?? march) >= march } && recent.count < rows.count)
        }
    }
}
