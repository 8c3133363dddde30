import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

@Suite("Bulk lists: POST, poll the uuid, page through, expire after an hour")
struct BulkListTests {
    func poll(_ sandbox: RunningSandbox, _ path: String, uuid: String, token: String) async throws -> JSONObject {
        for _ in 0..<100 {
            let answer = try #require(try await sandbox.send("GET", path, query: ["uuid": uuid], token: token).json?.objectValue)
            if answer.string("status") == "Complete" { return answer }
            #expect(answer.string("status") == "In progress")
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("the bulk list never completed")
        return [:]
    }

    @Test("a bulk patient list answers In progress, then every patient exactly once over its pages")
    func patientsList() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let started = try await sandbox.send("POST", "/api/patients_list", query: ["page_size": "64"], token: token)
            #expect(started.status == 201)
            let uuid = try #require(started.json?.objectValue?.string("uuid"))
            let early = try await sandbox.send("GET", "/api/patients_list", query: ["uuid": uuid], token: token)
            #expect(early.json?.objectValue?.string("status") == "In progress", "a client must poll, not assume")

            var page = try await poll(sandbox, "/api/patients_list", uuid: uuid, token: token)
            var ids = (page["results"]?.arrayValue ?? []).compactMap { $0.objectValue?.int("id") }
            var pages = 1
            while let next = page.string("next") {
                page = try #require(try await sandbox.send("GET", next, token: token).json?.objectValue)
                ids += (page["results"]?.arrayValue ?? []).compactMap { $0.objectValue?.int("id") }
                pages += 1
            }
            #expect(ids.count == 200 && Set(ids).count == 200)
            #expect(pages == 4)
        }
    }

    @Test("appointments and line items have bulk lists too, with page sizes up to 1,000")
    func otherBulkLists() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            for resource in ["appointments_list", "line_items_list", "clinical_notes_list"] {
                let uuid = try #require(
                    try await sandbox.send("POST", "/api/\(resource)", query: ["page_size": "5000"], token: token).json?.objectValue?
                        .string("uuid"))
                let page = try await poll(sandbox, "/api/\(resource)", uuid: uuid, token: token)
                let total = try #require(page.int("count"))
                #expect(page["results"]?.arrayValue?.count == min(total, 1000), "\(resource)")
            }
        }
    }

    @Test("a uuid lives one hour of sandbox time, then answers 404")
    func uuidExpires() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let uuid = try #require(try await sandbox.send("POST", "/api/patients_list", token: token).json?.objectValue?.string("uuid"))
            _ = try await poll(sandbox, "/api/patients_list", uuid: uuid, token: token)
            try await sandbox.advanceClock(seconds: 3601)
            // The access token lives 48 hours, so it still works an hour later.
            #expect(try await sandbox.send("GET", "/api/patients_list", query: ["uuid": uuid], token: token).status == 404)
            #expect(try await sandbox.send("GET", "/api/patients_list", query: ["uuid": "not-a-uuid"], token: token).status == 404)
            #expect(try await sandbox.send("GET", "/api/patients_list", token: token).status == 400)
        }
    }
}
