import DrChronoAPI
import Foundation
import Mirror
import SandboxTestSupport
import Sync
import Testing

@Suite("Webhooks as hints: one fetch per change")
struct WebhookReceiverTests {
    @Test("a change in the web app reaches the mirror through its webhook with exactly one fetch; a redelivery or a forgery with none")
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
            let counters = try await sandbox.adminJSON("requests")
            #expect(counters.int("total") == 1 && counters["by_endpoint"]?.objectValue?.int("GET /api/appointments/{id}") == 1)

            // The same delivery again (DrChrono retries), and a forged one: no fetch.
            let id = try #require(delivery?.string("id"))
            let body = Data(#"{"receiver": {}, "object": {"id": "1000320"}}"#.utf8)
            let again = try await sandbox.http.send(
                HTTPRequest(
                    method: "POST", url: URL(string: url)!,
                    headers: [
                        ("X-drchrono-event", "APPOINTMENT_MODIFY"), ("X-drchrono-signature", "hook-secret"), ("X-drchrono-delivery", id),
                    ], body: body))
            #expect(again.status == 200)
            let forged = try await sandbox.http.send(
                HTTPRequest(
                    method: "POST", url: URL(string: url)!,
                    headers: [
                        ("X-drchrono-event", "APPOINTMENT_MODIFY"), ("X-drchrono-signature", "guess"), ("X-drchrono-delivery", "new-id"),
                    ], body: body))
            #expect(forged.status == 403)
            await receiver.settle()
            #expect(try await sandbox.adminJSON("requests").int("total") == 1)
            await receiver.stop()
        }
    }
}
