import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

@Suite("Reading the practice: lists, pages, filters and the wire's shape")
struct ResourceReadTests {
    static let listEndpoints = [
        "doctors", "offices", "appointment_profiles", "patients", "clinical_notes", "clinical_note_field_types",
        "problems", "medications", "allergies", "line_items", "documents",
    ]

    @Test("every list follows its cursor pages to exactly the rows the practice holds, each once")
    func everyListPagesCompletely() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            for resource in ResourceReadTests.listEndpoints {
                let (rows, pages) = try await sandbox.all("/api/\(resource)", query: ["page_size": "40"], token: token)
                let ids = rows.compactMap { $0.int("id") }
                #expect(ids.count == rows.count, "\(resource): every row has an id")
                #expect(Set(ids).count == ids.count, "\(resource): no id twice")
                if resource != "clinical_note_field_types" {
                    let stored = try await sandbox.adminJSON("records/\(resource)").int("count")
                    #expect(ids.count == stored, "\(resource): all rows listed")
                }
                #expect(pages == max(1, (ids.count + 39) / 40), "\(resource): pages of 40")
            }
        }
    }

    @Test("next links are absolute URLs on the server the client reached, carrying a cursor")
    func nextIsAbsolute() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let page = try #require(
                try await sandbox.send("GET", "/api/patients", query: ["page_size": "10", "gender": "Female"], token: token).json?
                    .objectValue)
            let next = try #require(page.string("next"))
            #expect(next.hasPrefix(sandbox.base.absoluteString + "/api/patients?"))
            #expect(next.contains("cursor="))
            #expect(next.contains("gender=Female"), "filters carry over to the next page")
            #expect(page["previous"] == .null)
        }
    }

    @Test("page sizes are capped: 250, 20 for appointments, 25 with verbose")
    func pageSizeCaps() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let patients = try await sandbox.send("GET", "/api/line_items", query: ["page_size": "1000"], token: token)
            #expect(patients.json?.objectValue?["results"]?.arrayValue?.count == 250)
            let verbose = try await sandbox.send("GET", "/api/patients", query: ["page_size": "100", "verbose": "true"], token: token)
            #expect(verbose.json?.objectValue?["results"]?.arrayValue?.count == 25)
            let appointments = try await sandbox.send(
                "GET", "/api/appointments", query: ["date": "2026-03-04", "page_size": "250"], token: token)
            #expect(appointments.json?.objectValue?["results"]?.arrayValue?.count == 20)
            let defaults = try await sandbox.send("GET", "/api/line_items", token: token)
            #expect(defaults.json?.objectValue?["results"]?.arrayValue?.count == 250)
        }
    }

    @Test("appointments need a date, a range of at most 190 days, since or occurred_since")
    func appointmentsNeedADate() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let bare = try await sandbox.send("GET", "/api/appointments", token: token)
            #expect(bare.status == 400)
            #expect(bare.json?.objectValue?["non_field_errors"] != nil)
            #expect(
                try await sandbox.send("GET", "/api/appointments", query: ["date_range": "2026-01-01/2026-07-20"], token: token).status
                    == 400)
            #expect(
                try await sandbox.send("GET", "/api/appointments", query: ["date_range": "2026-01-01/2026-07-10"], token: token).status
                    == 200)
            #expect(try await sandbox.send("GET", "/api/appointments", query: ["since": "2026-03-01"], token: token).status == 200)
            #expect(try await sandbox.send("GET", "/api/appointments", query: ["occurred_since": "2026-03-01"], token: token).status == 200)
            let badDate = try await sandbox.send("GET", "/api/appointments", query: ["date": "03/04/2026"], token: token)
            #expect(badDate.status == 400)
            #expect(badDate.json?.objectValue?["date"] != nil)
        }
    }

    @Test("a day's appointments come in scheduled order with breaks, filtered by doctor and status")
    func daySchedule() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let (rows, pages) = try await sandbox.all("/api/appointments", query: ["date": "2026-03-04"], token: token)
            #expect(pages == (rows.count + 19) / 20)
            let times = rows.compactMap { $0.string("scheduled_time") }
            #expect(times == times.sorted())
            #expect(times.allSatisfy { $0.hasPrefix("2026-03-04T") })
            let breaks = rows.filter { $0["appt_is_break"] == .bool(true) }
            #expect(breaks.count == 3, "a lunch break for each of the three doctors")
            #expect(breaks.allSatisfy { $0["patient"] == .null })
            #expect(
                rows.allSatisfy { row in
                    if case .string(let id)? = row["id"] { Int(id) != nil } else { false }
                }, "appointment ids are strings, as the OpenAPI file says")

            let doctor = try #require(rows.first?.int("doctor"))
            let theirs = try await sandbox.all("/api/appointments", query: ["date": "2026-03-04", "doctor": String(doctor)], token: token)
                .rows
            #expect(!theirs.isEmpty && theirs.allSatisfy { $0.int("doctor") == doctor })
            #expect(theirs.count == rows.filter { $0.int("doctor") == doctor }.count)
            let complete = try await sandbox.all("/api/appointments", query: ["date": "2026-03-04", "status": "Complete"], token: token)
                .rows
            #expect(!complete.isEmpty && complete.allSatisfy { $0.string("status") == "Complete" })
        }
    }

    @Test("statuses follow the time of day: done this morning, in session now, booked this afternoon")
    func statusesFollowTheClock() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let rows = try await sandbox.all("/api/appointments", query: ["date": "2026-03-04"], token: token).rows.filter {
                $0["appt_is_break"] != .bool(true)
            }
            let morning = rows.filter { ($0.string("scheduled_time") ?? "") < "2026-03-04T09:30" }
            let afternoon = rows.filter { ($0.string("scheduled_time") ?? "") >= "2026-03-04T13:00" }
            #expect(!morning.isEmpty && morning.allSatisfy { ["Complete", "No Show", "Cancelled"].contains($0.string("status") ?? "") })
            #expect(
                !afternoon.isEmpty
                    && afternoon.allSatisfy { ["Confirmed", "Not Confirmed", "", "Cancelled"].contains($0.string("status") ?? "?") })
        }
    }

    @Test("since lists only what changed since then, judged by updated_at")
    func sinceFilter() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let clock = try await sandbox.adminJSON("clock").string("now")!
            #expect(try await sandbox.all("/api/patients", query: ["since": clock], token: token).rows.isEmpty)
            try await sandbox.advanceClock(seconds: 5)
            #expect(try await sandbox.admin("PATCH", "records/patients/10005", ["cell_phone": "(555) 010-9999"]).status == 204)
            let changed = try await sandbox.all("/api/patients", query: ["since": clock], token: token).rows
            #expect(changed.map { $0.int("id") } == [10005])
            #expect(changed.first?.string("cell_phone") == "(555) 010-9999")
        }
    }

    @Test("patients filter by name, chart id and birth date; unknown parameters are ignored")
    func patientFilters() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let someone = try #require(try await sandbox.send("GET", "/api/patients/10017", token: token).json?.objectValue)
            let byChart = try await sandbox.all("/api/patients", query: ["chart_id": someone.string("chart_id")!], token: token).rows
            #expect(byChart.map { $0.int("id") } == [10017])
            let byName = try await sandbox.all("/api/patients", query: ["last_name": someone.string("last_name")!], token: token).rows
            #expect(byName.contains { $0.int("id") == 10017 })
            let byBirth = try await sandbox.all(
                "/api/patients", query: ["date_of_birth": someone.string("date_of_birth")!, "no_such_filter": "x"], token: token
            ).rows
            #expect(byBirth.contains { $0.int("id") == 10017 })
            #expect(byBirth.allSatisfy { $0.string("date_of_birth") == someone.string("date_of_birth") })
        }
    }

    @Test("timestamps carry no time zone; dates are YYYY-MM-DD")
    func timestampsHaveNoZone() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let patient = try #require(try await sandbox.send("GET", "/api/patients/10001", token: token).json?.objectValue)
            for key in ["created_at", "updated_at"] {
                let value = try #require(patient.string(key))
                #expect(value.count == 19 && LocalDateTime(value) != nil, "\(key) = \(value)")
            }
            #expect(patient.string("date_of_birth").map { $0.count == 10 } ?? true)
        }
    }

    @Test("one of each: current user, a trailing slash, 404s and 405s in DRF's words")
    func singleObjectsAndErrors() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let me = try #require(try await sandbox.send("GET", "/api/users/current", token: token).json?.objectValue)
            #expect(me.int("doctor") == 101 && me["is_staff"] == .bool(true))
            #expect(try await sandbox.send("GET", "/api/doctors/", token: token).status == 200)
            let missing = try await sandbox.send("GET", "/api/patients/999999", token: token)
            #expect(missing.status == 404)
            #expect(missing.json?.objectValue?.string("detail") == "Not found.")
            #expect(try await sandbox.send("GET", "/api/no_such_thing", token: token).status == 404)
            let notAllowed = try await sandbox.send("POST", "/api/doctors", token: token, json: [:])
            #expect(notAllowed.status == 405)
            #expect(notAllowed.json?.objectValue?.string("detail") == "Method \"POST\" not allowed.")
        }
    }

    @Test("a chart: notes with sections and values, problems, medications, allergies, documents")
    func chart() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let notes = try await sandbox.all("/api/clinical_notes", query: ["date": "2026-03-02"], token: token).rows
            let note = try #require(notes.first)
            let sections = try #require(note["clinical_note_sections"]?.arrayValue)
            #expect(sections.count == 3)
            let fields = Set(try await sandbox.all("/api/clinical_note_field_types", token: token).rows.compactMap { $0.int("id") })
            for section in sections {
                for value in section.objectValue?["values"]?.arrayValue ?? [] {
                    #expect(fields.contains(value.objectValue?.int("clinical_note_field") ?? -1))
                }
            }
            #expect(note["signee"]?.objectValue?.string("locked_by") != nil, "a note two days old is signed")
            let patient = try #require(note.int("patient"))
            #expect(try await sandbox.send("GET", "/api/problems", query: ["patient": String(patient)], token: token).status == 200)

            let documents = try await sandbox.all("/api/documents", token: token).rows
            let link = try #require(documents.first?.string("document"))
            let file = try await sandbox.send("GET", link)
            #expect(file.status == 200)
            #expect(file.body.starts(with: Data("%PDF".utf8)))
        }
    }
}
