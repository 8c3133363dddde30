import DrChronoAPI
import DrChronoSandbox
import Foundation
import SandboxHarness
import Testing

@Suite("Bad input gets DrChrono's 400, 404, 413 or 415 — never a crash or a hang")
struct BadInputTests {
    @Test("malformed JSON, a list for an object, wrong types, unknown ids")
    func malformedBodies() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let type = [("Content-Type", "application/json")]
            let truncated = try await sandbox.send(
                "POST", "/api/appointments", token: token, body: Data("{\"doctor\": 10".utf8), headers: type)
            #expect(truncated.status == 400)
            #expect(truncated.json?.objectValue?.string("detail")?.hasPrefix("JSON parse error") == true)
            let list = try await sandbox.send("POST", "/api/patients", token: token, json: [1, 2, 3])
            #expect(list.status == 400)
            #expect(list.json?.objectValue?["non_field_errors"] != nil)
            let types = try await sandbox.send(
                "POST", "/api/appointments", token: token,
                json: WriteTests.booking(extra: [
                    "doctor": "Dr. Patel", "patient": ["nested": true], "allow_overlapping": "perhaps",
                ]))
            let errors = try #require(types.json?.objectValue)
            #expect(types.status == 400)
            #expect(errors["doctor"]?.arrayValue == ["Incorrect type. Expected pk value, received str."])
            #expect(errors["patient"] != nil && errors["allow_overlapping"] != nil)
            #expect(try await sandbox.send("PATCH", "/api/appointments/424242", token: token, json: ["status": "Arrived"]).status == 404)
            #expect(try await sandbox.send("PATCH", "/api/appointments/not-a-number", token: token, json: [:]).status == 404)
            let binary = try await sandbox.send("POST", "/api/patients", token: token, body: Data([0xFF, 0xFE, 0x00, 0x01]), headers: type)
            #expect(binary.status == 400)
        }
    }

    @Test("a line item of quantity 1e300 or price 1e13, or a payment of 1e300, answers 400 naming the field; the sandbox goes on")
    func absurdNumbers() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let base: JSONObject = ["appointment": 2_000_001, "code": "99213", "procedure_type": "C", "diagnosis_pointers": ["I10"]]
            for (field, value) in [("quantity", 1e300), ("price", 1e13), ("quantity", 4e9)] {
                var body = base
                body[field] = .double(value)
                let answer = try await sandbox.send("POST", "/api/line_items", token: token, json: .object(body))
                #expect(answer.status == 400 && answer.json?.objectValue?[field] != nil, "\(field) \(value): \(answer.status)")
            }
            let payment = try await sandbox.send(
                "POST", "/api/patient_payments", token: token, json: ["patient": 10001, "amount": .double(1e300), "payment_method": "CASH"])
            #expect(payment.status == 400 && payment.json?.objectValue?["amount"] != nil)
            #expect(try await sandbox.send("GET", "/api/line_items", token: token).status == 200, "still serving")
        }
    }

    @Test("a body over the limit answers 413; an oversized field answers 400 naming it")
    func oversized() async throws {
        try await withSandbox({ $0.maxBodyBytes = 64 * 1024 }) { sandbox in
            let token = try await sandbox.token()
            let huge = try await sandbox.send(
                "POST", "/api/patients", token: token, body: Data(repeating: UInt8(ascii: "a"), count: 200 * 1024),
                headers: [("Content-Type", "application/json")])
            #expect(huge.status == 413)
            let longNotes = try await sandbox.send(
                "POST", "/api/appointments", token: token,
                json: WriteTests.booking(extra: ["notes": .string(String(repeating: "x", count: 20_000))]))
            #expect(longNotes.status == 400)
            #expect(longNotes.json?.objectValue?["notes"] != nil)
            #expect(try await sandbox.send("GET", "/api/doctors", token: token).status == 200, "still serving")
        }
    }

    @Test("odd content types, bad cursors and bad filter values")
    func oddRequests() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let text = try await sandbox.send(
                "POST", "/api/patients", token: token, body: Data("hello".utf8), headers: [("Content-Type", "text/plain")])
            #expect(text.status == 415)
            let brokenMultipart = try await sandbox.send(
                "POST", "/api/documents", token: token, body: Data("--x\r\nnonsense".utf8),
                headers: [("Content-Type", "multipart/form-data; boundary=x")])
            #expect(brokenMultipart.status == 400)
            #expect(try await sandbox.send("GET", "/api/patients", query: ["cursor": "%%%garbage"], token: token).status == 404)
            let filter = try await sandbox.send("GET", "/api/patients", query: ["doctor": "abc"], token: token)
            #expect(filter.status == 400)
            #expect(filter.json?.objectValue?["doctor"]?.arrayValue == ["Enter a number."])
            let version = try await sandbox.send("GET", "/api/doctors", token: token, headers: [("X-DRC-API-Version", "v2")])
            #expect(version.status == 400)
            #expect(try await sandbox.send("GET", "/api/doctors", token: token, headers: [("X-DRC-API-Version", "v4")]).status == 200)
            #expect(try await sandbox.send("GET", "/nowhere").status == 404)
        }
    }

    @Test("control characters in stored text go out JSON-escaped, never raw")
    func controlCharactersAreEscaped() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let hostile = "Eve\u{1B}[2J\u{07}\u{0}Mallory"
            #expect(try await sandbox.admin("PATCH", "records/patients/10009", ["first_name": .string(hostile)]).status == 204)
            let answer = try await sandbox.send("GET", "/api/patients/10009", token: token)
            #expect(!answer.body.contains(0x1B) && !answer.body.contains(0x07) && !answer.body.contains(0x00))
            #expect(answer.json?.objectValue?.string("first_name") == hostile, "the text itself survives the round trip")
        }
    }
}
