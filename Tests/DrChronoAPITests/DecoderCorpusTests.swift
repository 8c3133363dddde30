import Foundation
import SandboxHarness
import Testing

@testable import DrChronoAPI

/// Whatever arrives, decoding never traps: it answers a model, or nil, or a thrown error.
@Suite("Decoding survives mangled payloads")
struct DecoderCorpusTests {
    /// Every model's decoder, applied to one JSON object.
    static func decodeAll(_ object: JSONObject) -> Int {
        var decoded = 0
        if CurrentUser(json: object) != nil { decoded += 1 }
        if Doctor(json: object) != nil { decoded += 1 }
        if Office(json: object) != nil { decoded += 1 }
        if AppointmentProfile(json: object) != nil { decoded += 1 }
        if Patient(json: object) != nil { decoded += 1 }
        if Appointment(json: object) != nil { decoded += 1 }
        if ClinicalNote(json: object) != nil { decoded += 1 }
        if ClinicalNoteFieldType(json: object) != nil { decoded += 1 }
        if Problem(json: object) != nil { decoded += 1 }
        if Medication(json: object) != nil { decoded += 1 }
        if Allergy(json: object) != nil { decoded += 1 }
        if LineItem(json: object) != nil { decoded += 1 }
        if Document(json: object) != nil { decoded += 1 }
        return decoded
    }

    /// Real rows from the sandbox, one of each kind.
    func samples() async throws -> [Data] {
        var samples: [Data] = []
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            for path in [
                "/api/users/current", "/api/doctors", "/api/offices", "/api/patients", "/api/clinical_notes", "/api/line_items",
                "/api/documents", "/api/medications",
            ] {
                samples.append(try await sandbox.send("GET", path, query: ["page_size": "2"], token: token).body)
            }
            samples.append(
                try await sandbox.send("GET", "/api/appointments", query: ["date": "2026-03-04", "page_size": "2"], token: token).body)
        }
        return samples
    }

    @Test("every prefix of real payloads either parses or throws")
    func truncated() async throws {
        for sample in try await samples() {
            for length in stride(from: 0, to: sample.count, by: max(1, sample.count / 400)) {
                if let value = try? JSONValue.parse(sample.prefix(length)), let object = value.objectValue {
                    _ = DecoderCorpusTests.decodeAll(object)
                }
            }
        }
    }

    @Test("every field swapped to every wrong type still decodes, or is nil for want of an id")
    func wrongTypes() async throws {
        let replacements: [JSONValue] = [
            .null, .bool(true), .int(-1), .double(1e308), .string(""), .string("not a number"),
            .array([.null, .int(3)]), .object(["nested": .array([])]), .string(String(repeating: "🩺", count: 10_000)),
        ]
        for sample in try await samples() {
            let rows = (try JSONValue.parse(sample).objectValue?["results"]?.arrayValue ?? [try JSONValue.parse(sample)]).compactMap(
                \.objectValue)
            for row in rows {
                #expect(DecoderCorpusTests.decodeAll(row) > 0)
                for key in row.keys {
                    for replacement in replacements {
                        var mangled = row
                        mangled[key] = replacement
                        _ = DecoderCorpusTests.decodeAll(mangled)
                    }
                }
            }
        }
    }

    @Test("numbers as strings and strings as numbers read as what they mean")
    func mixedTypes() throws {
        let appointment = try #require(
            Appointment(json: [
                "id": 1_000_123, "doctor": "101", "duration": "30", "scheduled_time": "2026-03-04T09:00:00", "appt_is_break": "false",
            ]))
        #expect(appointment.id == "1000123" && appointment.doctor == 101 && appointment.duration == 30 && !appointment.isBreak)
        let item = try #require(
            LineItem(json: ["id": "5", "price": "110.50", "quantity": 2, "appointment": 7, "diagnosis_pointers": ["I10", 3]]))
        #expect(item.priceCents == 11050 && item.appointment == "7" && item.diagnosisPointers == ["I10", "3"])
        #expect(Patient(json: ["first_name": "No id"]) == nil)
        let office = try #require(Office(json: ["id": 1, "exam_rooms": "Exam 1"]))
        #expect(office.examRooms.isEmpty, "a string where rooms belong is tolerated")
    }

    @Test("a page's rows are read from results, as production sends them, or data, as the OpenAPI file names them")
    func envelopes() {
        let row: JSONValue = ["id": 1]
        #expect(DrChronoClient.rows(of: ["results": [row], "next": .null]).count == 1)
        #expect(DrChronoClient.rows(of: ["data": [row, row], "next": .null]).count == 2)
        #expect(DrChronoClient.rows(of: ["detail": "odd"]).isEmpty)
    }

    @Test("random bytes and hostile strings never trap the parser")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 7, 64, 1024, 65_536] {
            for _ in 0..<20 {
                let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
                _ = try? JSONValue.parse(bytes)
            }
        }
        let hostile =
            "{\"id\": 1, \"first_name\": \"\\u001b]0;owned\\u0007\\u0000\", \"last_name\": \"\(String(repeating: "A", count: 2_000_000))\"}"
        let patient = (try? JSONValue.parse(Data(hostile.utf8)))?.objectValue.flatMap(Patient.init(json:))
        #expect(patient?.firstName == "\u{1B}]0;owned\u{07}\u{0}", "kept as data: made harmless only when drawn")
        #expect(patient?.lastName.count == 2_000_000)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        _ = try? JSONValue.parse(Data(deep.utf8))
    }
}
