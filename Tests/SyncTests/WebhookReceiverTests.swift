import DrChronoAPI
import Foundation
import Mirror
import SandboxHarness
import Sync
import Testing

@Suite("Webhooks: a change arrives with its hook, at no request")
struct WebhookReceiverTests {
    @Test(
        "a change in the web app reaches the mirror through its webhook with no request; a redelivery, a forgery or an older copy changes nothing; a hook without the object costs one fetch"
    )
    func hookRefetchesOne() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            let receiver = WebhookReceiver(engine: fixture.engine, secret: "hook-secret")
            let port = try await receiver.start()
            let url = "http://127.0.0.1:\(port)/hooks"
            #expect(try await sandbox.admin("PUT", "webhooks", ["url": .string(url), "secret": "hook-secret"]).status == 200)
            for _ in 0..<200 where try await sandbox.adminJSON("webhooks")["verified"] != .bool(true) {
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            #expect(try await sandbox.adminJSON("webhooks")["verified"] == .bool(true), "the receiver answered DrChrono's verification")

            _ = try await sandbox.admin("DELETE", "requests")
            #expect(try await sandbox.admin("PATCH", "records/appointments/1000320", ["status": "Arrived"]).status == 204)
            var delivery: JSONObject?
            for _ in 0..<200 {
                delivery = try await sandbox.adminJSON("webhooks")["deliveries"]?.arrayValue?.last?.objectValue
                if delivery?.string("state") == "delivered" { break }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            await receiver.settle()
            let row = try await fixture.mirror.pool.read { db in try Appointment.fetchRaw(db, "1000320") }
            #expect(row?.status == "Arrived")
            #expect(try await sandbox.adminJSON("requests").int("total") == 0, "the hook carried the appointment: nothing fetched")

            func post(_ object: String, signature: String = "hook-secret", delivery: String) async throws -> Int {
                let body = Data(#"{"receiver": {}, "object": \#(object)}"#.utf8)
                return try await sandbox.http.send(
                    HTTPRequest(
                        method: "POST", url: URL(string: url)!,
                        headers: [
                            ("X-drchrono-event", "APPOINTMENT_MODIFY"), ("X-drchrono-signature", signature),
                            ("X-drchrono-delivery", delivery),
                        ], body: body)
                ).status
            }
            // The same delivery again (DrChrono retries), a forged one, and an older copy
            // of the row arriving late: none changes the mirror or costs a request.
            let id = try #require(delivery?.string("id"))
            let older = #"{"id": "1000320", "status": "Confirmed", "updated_at": "2026-03-01T09:00:00"}"#
            #expect(try await post(older, delivery: id) == 200)
            #expect(try await post(older, signature: "guess", delivery: "forged") == 403)
            #expect(try await post(older, delivery: "late-copy") == 200)
            await receiver.settle()
            let after = try await fixture.mirror.pool.read { db in try Appointment.fetchRaw(db, "1000320") }
            #expect(after?.status == "Arrived", "an older copy does not undo a newer state")
            #expect(try await sandbox.adminJSON("requests").int("total") == 0)

            // A hook that names the object without carrying it: one fetch of that object.
            #expect(try await sandbox.admin("PATCH", "records/appointments/1000321", ["status": "Checked In"]).status == 204)
            #expect(try await post(#"{"id": "1000321"}"#, delivery: "bare") == 200)
            await receiver.settle()
            let counters = try await sandbox.adminJSON("requests")
            #expect(counters["by_endpoint"]?.objectValue?.int("GET /api/appointments/{id}") == 1)
            let fetched = try await fixture.mirror.pool.read { db in try Appointment.fetchRaw(db, "1000321") }
            #expect(fetched?.status == "Checked In")
            await receiver.stop()
        }
    }
}
