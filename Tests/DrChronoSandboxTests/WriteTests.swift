import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

@Suite("Writes: appointments, patients, line items and documents, validated as DrChrono does")
struct WriteTests {
    /// A free slot: a Saturday, when nobody is booked.
    static func booking(_ time: String = "2026-03-07T09:00:00", extra: JSONObject = [:]) -> JSONValue {
        var o: JSONObject = [
            "doctor": 101, "office": 1, "exam_room": 1, "patient": 10001,
            "scheduled_time": .string(time), "duration": 30, "reason": "Follow-up visit",
        ]
        for (key, value) in extra.pairs { o[key] = value }
        return .object(o)
    }

    @Test("booking answers 201 with the object; an overlap answers 409 unless allowed")
    func bookAndOverlap() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let made = try await sandbox.send("POST", "/api/appointments", token: token, json: WriteTests.booking())
            #expect(made.status == 201)
            let object = try #require(made.json?.objectValue)
            #expect(object.string("scheduled_time") == "2026-03-07T09:00:00")
            #expect(object["id"]?.intValue != nil)

            let clash = try await sandbox.send("POST", "/api/appointments", token: token, json: WriteTests.booking("2026-03-07T09:15:00"))
            #expect(clash.status == 409)
            #expect(clash.json?.objectValue?["overlapping_appointments"]?.arrayValue == [.string(object.string("id")!)])
            let allowed = try await sandbox.send(
                "POST", "/api/appointments", token: token,
                json: WriteTests.booking("2026-03-07T09:15:00", extra: ["allow_overlapping": true]))
            #expect(allowed.status == 201)
            let adjacent = try await sandbox.send(
                "POST", "/api/appointments", token: token,
                json: WriteTests.booking("2026-03-07T09:30:00", extra: ["exam_room": 2, "doctor": 102]))
            #expect(adjacent.status == 201, "back to back in another room is no overlap")
        }
    }

    @Test("a booking missing fields, or naming what does not exist, gets DRF's messages per field")
    func bookingValidation() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let empty = try await sandbox.send("POST", "/api/appointments", token: token, json: [:])
            #expect(empty.status == 400)
            let fields = try #require(empty.json?.objectValue)
            for key in ["doctor", "exam_room", "office", "patient", "scheduled_time"] {
                #expect(fields[key]?.arrayValue == ["This field is required."], "\(key)")
            }
            let wrong = try await sandbox.send(
                "POST", "/api/appointments", token: token,
                json: WriteTests.booking(extra: [
                    "doctor": 99999, "status": "Sleeping", "scheduled_time": "tomorrow", "duration": "long",
                ]))
            let errors = try #require(wrong.json?.objectValue)
            #expect(wrong.status == 400)
            #expect(errors["doctor"]?.arrayValue == ["Invalid pk \"99999\" - object does not exist."])
            #expect(errors["status"]?.arrayValue == ["\"Sleeping\" is not a valid choice."])
            #expect(errors["scheduled_time"] != nil && errors["duration"] != nil)
            let room = try await sandbox.send("POST", "/api/appointments", token: token, json: WriteTests.booking(extra: ["exam_room": 9]))
            #expect(room.status == 400)
            #expect(room.json?.objectValue?["exam_room"] != nil)
            let lunch = try await sandbox.send(
                "POST", "/api/appointments", token: token,
                json: [
                    "doctor": 101, "office": 1, "exam_room": 1, "scheduled_time": "2026-03-07T12:00:00", "duration": 60,
                    "appt_is_break": true,
                ])
            #expect(lunch.status == 201, "a break needs no patient")
        }
    }

    @Test("PATCH and PUT answer 204 and read back; DELETE soft-deletes with deleted_flag")
    func updateAndDelete() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let id = try #require(
                try await sandbox.send("POST", "/api/appointments", token: token, json: WriteTests.booking()).json?.objectValue?.string(
                    "id"))
            let patch = try await sandbox.send("PATCH", "/api/appointments/\(id)", token: token, json: ["status": "Checked In"])
            #expect(patch.status == 204 && patch.body.isEmpty)
            #expect(
                try await sandbox.send("GET", "/api/appointments/\(id)", token: token).json?.objectValue?.string("status") == "Checked In")

            let incomplete = try await sandbox.send("PUT", "/api/appointments/\(id)", token: token, json: ["duration": 45])
            #expect(incomplete.status == 400, "PUT replaces the whole appointment")
            let put = try await sandbox.send(
                "PUT", "/api/appointments/\(id)", token: token, json: WriteTests.booking("2026-03-07T10:00:00", extra: ["duration": 45]))
            #expect(put.status == 204)
            let moved = try #require(try await sandbox.send("GET", "/api/appointments/\(id)", token: token).json?.objectValue)
            #expect(moved.string("scheduled_time") == "2026-03-07T10:00:00" && moved.int("duration") == 45)

            #expect(try await sandbox.send("DELETE", "/api/appointments/\(id)", token: token).status == 204)
            #expect(try await sandbox.send("GET", "/api/appointments/\(id)", token: token).status == 404)
            let listed = try await sandbox.all("/api/appointments", query: ["date": "2026-03-07"], token: token).rows
            #expect(!listed.contains { $0.string("id") == id })
            let archived = try await sandbox.all("/api/appointments", query: ["date": "2026-03-07", "show_archived": "true"], token: token)
                .rows
            #expect(archived.first { $0.string("id") == id }?["deleted_flag"] == .bool(true))
            #expect(
                try await sandbox.send("POST", "/api/appointments", token: token, json: WriteTests.booking("2026-03-07T10:00:00")).status
                    == 201,
                "a deleted appointment frees its slot")
        }
    }

    @Test("patients: created (JSON or form), refused as a duplicate with 409, patched")
    func patients() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let missing = try await sandbox.send("POST", "/api/patients", token: token, json: ["first_name": "Ana"])
            #expect(missing.status == 400)
            #expect(missing.json?.objectValue?["doctor"] != nil && missing.json?.objectValue?["gender"] != nil)
            let form = [
                "first_name": "Zoë", "last_name": "O'Brien-Núñez", "gender": "Female", "doctor": "101", "date_of_birth": "1990-05-17",
            ]
            let made = try await sandbox.send("POST", "/api/patients", token: token, form: form)
            #expect(made.status == 201)
            let patient = try #require(made.json?.objectValue)
            #expect(patient.string("last_name") == "O'Brien-Núñez")
            #expect(try await sandbox.send("POST", "/api/patients", token: token, form: form).status == 409)
            let id = try #require(patient.int("id"))
            #expect(
                try await sandbox.send("PATCH", "/api/patients/\(id)", token: token, json: ["cell_phone": "(555) 010-4444"]).status == 204)
            #expect(
                try await sandbox.send("GET", "/api/patients/\(id)", token: token).json?.objectValue?.string("cell_phone")
                    == "(555) 010-4444")
        }
    }

    @Test("a patient's insurance: written as nested cards, read back, changed field by field; bad card fields named")
    func insurance() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let card: JSONObject = [
                "insurance_company": "Summit PPO", "insurance_payer_id": "SBX11", "insurance_id_number": "XJ1",
                "insurance_group_number": "G-1",
                "is_subscriber_the_patient": false, "patient_relationship_to_subscriber": "01", "subscriber_first_name": "Sam",
                "subscriber_last_name": "Ruiz", "subscriber_date_of_birth": "1970-01-02",
            ]
            let made = try await sandbox.send(
                "POST", "/api/patients", token: token,
                json: [
                    "first_name": "Ines", "last_name": "Ruiz", "gender": "Female", "doctor": 101, "date_of_birth": "1972-03-04",
                    "primary_insurance": .object(card),
                    "secondary_insurance": ["insurance_company": "State Medicaid", "insurance_id_number": "MC9"],
                ])
            #expect(made.status == 201, "\(String(decoding: made.body, as: UTF8.self))")
            let id = try #require(made.json?.objectValue?.int("id"))
            var read = try #require(try await sandbox.send("GET", "/api/patients/\(id)", token: token).json?.objectValue)
            let primary = read["primary_insurance"]?.objectValue ?? [:]
            #expect(primary.string("insurance_id_number") == "XJ1" && primary.string("subscriber_last_name") == "Ruiz")
            #expect(primary.string("patient_relationship_to_subscriber") == "01" && primary.bool("is_subscriber_the_patient") == false)
            #expect(read["secondary_insurance"]?.objectValue?.string("insurance_id_number") == "MC9")

            let patched = try await sandbox.send(
                "PATCH", "/api/patients/\(id)", token: token, json: ["primary_insurance": ["insurance_id_number": "XJ2"]])
            #expect(patched.status == 204)
            read = try #require(try await sandbox.send("GET", "/api/patients/\(id)", token: token).json?.objectValue)
            #expect(read["primary_insurance"]?.objectValue?.string("insurance_id_number") == "XJ2")
            #expect(read["primary_insurance"]?.objectValue?.string("insurance_company") == "Summit PPO", "the rest of the card stays")

            let bad = try await sandbox.send(
                "PATCH", "/api/patients/\(id)", token: token,
                json: ["primary_insurance": ["patient_relationship_to_subscriber": "99", "subscriber_date_of_birth": "yesterday"]])
            #expect(bad.status == 400)
            let messages = bad.json?.objectValue?["primary_insurance"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(messages.contains { $0.hasPrefix("patient_relationship_to_subscriber:") }, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("subscriber_date_of_birth:") }, "\(messages)")

            // Generated patients carry cards; the payer list answers a term.
            let generated = try #require(try await sandbox.send("GET", "/api/patients/10002", token: token).json?.objectValue)
            #expect(generated["primary_insurance"]?.objectValue != nil)
            let payers = try await sandbox.all("/api/insurances", query: ["term": "summit"], token: token).rows
            #expect(payers.map { $0.string("payer_id") } == ["SBX11"])
            #expect(payers.first?.string("payer_name") == "Summit PPO")
        }
    }

    @Test("changing a patient needs patients:write; reading them does not")
    func patientWriteScope() async throws {
        try await withSandbox { sandbox in
            let reader = try #require(try await sandbox.authorize(scope: "patients:read user:read")["access_token"]?.stringValue)
            #expect(try await sandbox.send("GET", "/api/patients/10001", token: reader).status == 200)
            let refused = try await sandbox.send("PATCH", "/api/patients/10001", token: reader, json: ["address": "1 Elm"])
            #expect(refused.status == 403)
            let writer = try #require(try await sandbox.authorize(scope: "patients:read patients:write")["access_token"]?.stringValue)
            #expect(try await sandbox.send("PATCH", "/api/patients/10001", token: writer, json: ["address": "1 Elm"]).status == 204)
        }
    }

    @Test("line items: CPT, HCPCS and ICD-10 formats, four pointers at most, no negative price")
    func lineItems() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let visit = try #require(
                try await sandbox.send("POST", "/api/appointments", token: token, json: WriteTests.booking()).json?.objectValue?.string(
                    "id"))
            let good: JSONValue = [
                "appointment": .string(visit), "code": "99213", "procedure_type": "C", "diagnosis_pointers": ["I10", "E11.9"],
                "modifiers": ["25"], "price": "110.00", "quantity": 1,
            ]
            let made = try await sandbox.send("POST", "/api/line_items", token: token, json: good)
            #expect(made.status == 201)
            #expect(made.json?.objectValue?.string("code") == "99213")
            let hcpcs = try await sandbox.send(
                "POST", "/api/line_items", token: token,
                json: [
                    "appointment": .string(visit), "code": "G0439", "procedure_type": "H", "diagnosis_pointers": ["Z00.00"], "price": 175,
                ])
            #expect(hcpcs.status == 201)

            let bad = try await sandbox.send(
                "POST", "/api/line_items", token: token,
                json: [
                    "appointment": .string(visit), "code": "9921", "procedure_type": "C",
                    "diagnosis_pointers": ["I10", "E11.9", "J06.9", "R51.9", "K21.9"], "price": -5, "modifiers": ["TOOLONG"],
                ])
            #expect(bad.status == 400)
            let errors = try #require(bad.json?.objectValue)
            for key in ["code", "diagnosis_pointers", "price", "modifiers"] { #expect(errors[key] != nil, "\(key)") }
            let notICD = try await sandbox.send(
                "POST", "/api/line_items", token: token,
                json: [
                    "appointment": .string(visit), "code": "G043", "procedure_type": "H", "diagnosis_pointers": ["hypertension"],
                ])
            #expect(notICD.json?.objectValue?["diagnosis_pointers"] != nil && notICD.json?.objectValue?["code"] != nil)
            let type = try await sandbox.send(
                "POST", "/api/line_items", token: token,
                json: [
                    "appointment": .string(visit), "code": "99213", "procedure_type": "X", "diagnosis_pointers": ["I10"],
                ])
            #expect(type.json?.objectValue?["procedure_type"]?.arrayValue == ["\"X\" is not a valid choice."])

            let listed = try await sandbox.all("/api/line_items", query: ["appointment": visit], token: token).rows
            #expect(listed.map { $0.string("code") } == ["99213", "G0439"])
        }
    }

    @Test(
        "line items: corrected field by field (PATCH) or whole (PUT), checked as new ones; voided (DELETE), then 404 and listed as deleted")
    func fixAndVoidLineItems() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let before = try #require(try await sandbox.send("GET", "/api/line_items/3000001", token: token).json?.objectValue)
            #expect(
                try await sandbox.send("PATCH", "/api/line_items/3000001", token: token, json: ["code": "99214", "price": "150.00"]).status
                    == 204)
            let after = try #require(try await sandbox.send("GET", "/api/line_items/3000001", token: token).json?.objectValue)
            #expect(after.string("code") == "99214" && after["price"]?.doubleValue == 150)
            #expect(after.strings("diagnosis_pointers") == before.strings("diagnosis_pointers"))
            let bad = try await sandbox.send("PATCH", "/api/line_items/3000001", token: token, json: ["code": "9921", "price": -1])
            #expect(bad.status == 400 && bad.json?.objectValue?["code"] != nil && bad.json?.objectValue?["price"] != nil)
            let whole = try await sandbox.send("PUT", "/api/line_items/3000001", token: token, json: ["code": "99213"])
            #expect(whole.status == 400 && whole.json?.objectValue?["diagnosis_pointers"] != nil, "PUT needs every required field")

            #expect(try await sandbox.send("DELETE", "/api/line_items/3000001", token: token).status == 204)
            #expect(try await sandbox.send("GET", "/api/line_items/3000001", token: token).status == 404)
            #expect(try await sandbox.send("DELETE", "/api/line_items/3000001", token: token).status == 404)
            let deleted = try await sandbox.all("/api/line_item_deletions", query: ["since": "2026-03-01"], token: token).rows
            #expect(deleted.map { $0.int("billing_line_item_id") } == [3_000_001])
            #expect(deleted.first?.int("appointment_id") == before.int("appointment"))
            let reader = try #require(try await sandbox.authorize(scope: "billing:read")["access_token"]?.stringValue)
            #expect(try await sandbox.send("DELETE", "/api/line_items/3000002", token: reader).status == 403, "voiding needs billing:write")
        }
    }

    @Test("documents upload as multipart and can be downloaded again")
    func documents() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let pdf = Data("%PDF-1.4\n%test upload\n".utf8)
            let boundary = "chronoterm-test-boundary"
            func multipart(withFile: Bool) -> Data {
                var body = Data()
                for (name, value) in [
                    ("doctor", "101"), ("patient", "10002"), ("description", "Insurance card"), ("date", "2026-03-04"),
                    ("metatags", "[\"insurance\"]"),
                ] {
                    body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
                }
                if withFile {
                    body.append(
                        Data(
                            "--\(boundary)\r\nContent-Disposition: form-data; name=\"document\"; filename=\"card.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                                .utf8))
                    body.append(pdf)
                    body.append(Data("\r\n".utf8))
                }
                body.append(Data("--\(boundary)--\r\n".utf8))
                return body
            }
            let type = [("Content-Type", "multipart/form-data; boundary=\(boundary)")]
            let made = try await sandbox.send("POST", "/api/documents", token: token, body: multipart(withFile: true), headers: type)
            #expect(made.status == 201)
            let document = try #require(made.json?.objectValue)
            #expect(document.string("metatags") == "[\"insurance\"]")
            let id = try #require(document.int("id"))
            let listed = try #require(try await sandbox.send("GET", "/api/documents/\(id)", token: token).json?.objectValue)
            #expect(try await sandbox.send("GET", listed.string("document")!).body == pdf)

            let noFile = try await sandbox.send("POST", "/api/documents", token: token, body: multipart(withFile: false), headers: type)
            #expect(noFile.status == 400)
            #expect(noFile.json?.objectValue?["document"]?.arrayValue == ["No file was submitted."])
        }
    }

    @Test("a write is visible to since at once, and counted")
    func writesAreCounted() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let before = try await sandbox.adminJSON("clock").string("now")!
            _ = try await sandbox.send("POST", "/api/appointments", token: token, json: WriteTests.booking())
            let changed = try await sandbox.all("/api/appointments", query: ["since": before], token: token).rows
            #expect(changed.count == 1)
            #expect(try await sandbox.count("POST /api/appointments") == 1)
        }
    }
}
