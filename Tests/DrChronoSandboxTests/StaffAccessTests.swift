import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// A token sees what the DrChrono user who granted it may see: their primary doctor's
/// side of the practice when the group does not share patients, every doctor's for the
/// group's administrator, nothing of this practice for another group's user.
@Suite("Who sees what: users, their primary doctor, the group's sharing")
struct StaffAccessTests {
    /// Sharing off; clinician1 works for the first doctor, clinician2 for the second,
    /// front desk administers the group. Answers the two doctors.
    static func splitPractice(_ sandbox: RunningSandbox) async throws -> (first: Int, second: Int) {
        let doctors = try await sandbox.all("/api/doctors", token: try await sandbox.token()).rows.compactMap { $0.int("id") }.sorted()
        #expect(doctors.count >= 2)
        #expect(try await sandbox.admin("PUT", "practice_group", ["share_patients": false]).status == 200)
        #expect(try await sandbox.admin("PUT", "users/clinician1", ["doctor": .int(doctors[0])]).status == 200)
        #expect(try await sandbox.admin("PUT", "users/clinician2", ["doctor": .int(doctors[1])]).status == 200)
        #expect(try await sandbox.admin("PUT", "users/frontdesk", ["practice_admin": true]).status == 200)
        return (doctors[0], doctors[1])
    }

    @Test("with sharing off each doctor's user lists only that doctor's rows; the administrator lists all; doctors are group-wide")
    func listsFollowTheUser() async throws {
        try await withSandbox { sandbox in
            let (first, second) = try await Self.splitPractice(sandbox)
            let admin = try await sandbox.token(user: "frontdesk")
            let one = try await sandbox.token(user: "clinician1")
            let two = try await sandbox.token(user: "clinician2")
            let week = ["date_range": "2026-03-02/2026-03-08"]
            // A note names no doctor on the wire: it is its visit's doctor's.
            var visitDoctor: [String: Int] = [:]
            for visit in try await sandbox.adminJSON("records/appointments").array("results").compactMap(\.objectValue) {
                if let id = visit["id"].flatMap({ $0.stringValue ?? $0.intValue.map(String.init) }) {
                    visitDoctor[id] = visit.int("doctor")
                }
            }
            func doctor(of row: JSONObject) -> Int? {
                row.int("doctor")
                    ?? row["appointment"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) }.flatMap { visitDoctor[$0] }
            }
            for (path, query) in [
                ("/api/patients", [:]), ("/api/appointments", week), ("/api/clinical_notes", [:]), ("/api/line_items", [:]),
            ] {
                let everyone = try await sandbox.all(path, query: query, token: admin).rows
                let firsts = try await sandbox.all(path, query: query, token: one).rows
                let seconds = try await sandbox.all(path, query: query, token: two).rows
                #expect(!firsts.isEmpty && !seconds.isEmpty, "\(path)")
                #expect(firsts.allSatisfy { doctor(of: $0) == first }, "\(path)")
                #expect(seconds.allSatisfy { doctor(of: $0) == second }, "\(path)")
                #expect(firsts.count == everyone.filter { doctor(of: $0) == first }.count, "\(path)")
                #expect(seconds.count == everyone.filter { doctor(of: $0) == second }.count, "\(path)")
            }
            // Filtered before paging: one doctor's patients take fewer pages than all.
            let pagesAll = try await sandbox.all("/api/patients", query: ["page_size": "50"], token: admin).pages
            let pagesOne = try await sandbox.all("/api/patients", query: ["page_size": "50"], token: one).pages
            #expect(pagesOne < pagesAll)
            #expect(try await sandbox.all("/api/doctors", token: one).rows.count == sandbox.all("/api/doctors", token: admin).rows.count)

            let me = try #require(try await sandbox.send("GET", "/api/users/current", token: one).json?.objectValue)
            #expect(me.int("doctor") == first)
            #expect(me.int("practice_group") == 1)
            let theirs = try #require(try await sandbox.all("/api/patients", token: two).rows.first?.int("id"))
            #expect(try await sandbox.send("GET", "/api/patients/\(theirs)", token: one).status == 404)
            #expect(try await sandbox.send("GET", "/api/patients/\(theirs)", token: admin).status == 200)
        }
    }

    @Test("a write on another doctor's side is refused 403 (404 for a row not seen); provider selection off books the primary doctor alone")
    func writesFollowTheUser() async throws {
        try await withSandbox { sandbox in
            let (first, second) = try await Self.splitPractice(sandbox)
            let one = try await sandbox.token(user: "clinician1")
            let admin = try await sandbox.token(user: "frontdesk")
            let mine = try #require(try await sandbox.all("/api/patients", token: one).rows.first?.int("id"))
            let office = try #require(try await sandbox.all("/api/offices", token: admin).rows.first)
            func booking(doctor: Int, patient: Int, at time: String) -> JSONValue {
                .object([
                    "doctor": .int(doctor), "office": .int(office.int("id") ?? 0), "exam_room": 1, "patient": .int(patient),
                    "scheduled_time": .string(time), "duration": 30, "reason": "Follow-up visit", "allow_overlapping": true,
                ])
            }
            let elsewhere = try await sandbox.send(
                "POST", "/api/appointments", token: one, json: booking(doctor: second, patient: mine, at: "2026-03-09T09:00:00"))
            #expect(elsewhere.status == 403)
            #expect(elsewhere.json?.objectValue?.string("detail") == "You do not have permission to perform this action.")
            let own = try await sandbox.send(
                "POST", "/api/appointments", token: one, json: booking(doctor: first, patient: mine, at: "2026-03-09T09:00:00"))
            #expect(own.status == 201)
            let theirVisit = try #require(
                try await sandbox.all("/api/appointments", query: ["date_range": "2026-03-02/2026-03-08"], token: admin).rows
                    .first { $0.int("doctor") == second }?["id"])
            let id = theirVisit.stringValue ?? theirVisit.intValue.map(String.init) ?? ""
            #expect(try await sandbox.send("PATCH", "/api/appointments/\(id)", token: one, json: ["status": "Arrived"]).status == 404)

            // Everyone shares, but clinician1 may not pick another doctor's calendar.
            #expect(try await sandbox.admin("PUT", "practice_group", ["share_patients": true]).status == 200)
            #expect(try await sandbox.admin("PUT", "users/clinician1", ["provider_selection": false]).status == 200)
            let sharedPatient = try #require(
                try await sandbox.all("/api/patients", token: one).rows.first { $0.int("doctor") == second }?.int("id"))
            let picked = try await sandbox.send(
                "POST", "/api/appointments", token: one, json: booking(doctor: second, patient: sharedPatient, at: "2026-03-09T10:00:00"))
            #expect(picked.status == 403)
            #expect(try await sandbox.send("GET", "/api/patients/\(sharedPatient)", token: one).status == 200)
        }
    }

    @Test("another practice group's user sees none of this practice; revoking one user's grants leaves the others working")
    func otherGroupAndOneRevocation() async throws {
        try await withSandbox { sandbox in
            #expect(try await sandbox.admin("PUT", "users/elsewhere", ["practice_group": 2]).status == 200)
            let stranger = try await sandbox.token(user: "elsewhere")
            #expect(try await sandbox.all("/api/patients", token: stranger).rows.isEmpty)
            #expect(try await sandbox.all("/api/doctors", token: stranger).rows.isEmpty)
            // Not the billing and front-desk settings either, nor any row by its id.
            let admin = try await sandbox.token()
            for path in ["/api/billing_profiles", "/api/fee_schedules", "/api/patient_payments", "/api/offices"] {
                #expect(try await sandbox.all(path, token: stranger).rows.isEmpty, "\(path)")
            }
            #expect(!(try await sandbox.all("/api/billing_profiles", token: admin).rows.isEmpty), "the practice's own users see them")
            let patient = try #require(try await sandbox.all("/api/patients", token: admin).rows.first?.int("id"))
            #expect(try await sandbox.send("GET", "/api/patients/\(patient)", token: stranger).status == 404)
            let me = try #require(try await sandbox.send("GET", "/api/users/current", token: stranger).json?.objectValue)
            #expect(me.int("practice_group") == 2)

            let one = try await sandbox.token(user: "clinician1")
            let two = try await sandbox.token(user: "clinician2")
            let revoked = try await sandbox.admin("POST", "tokens/revoke", ["user": "clinician1"])
            #expect(revoked.json?.objectValue?.int("revoked_grants") == 1)
            #expect(try await sandbox.send("GET", "/api/doctors", token: one).status == 401)
            #expect(try await sandbox.send("GET", "/api/doctors", token: two).status == 200)
            #expect(try await sandbox.admin("PUT", "users/nobody!", [:]).status == 400)
        }
    }
}
