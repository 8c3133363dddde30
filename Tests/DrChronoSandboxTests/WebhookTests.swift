import Crypto
import DrChronoAPI
import DrChronoSandbox
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SandboxHarness
import ServiceLifecycle
import Testing

/// A webhook receiver on loopback, recording what DrChrono (the sandbox) sends it.
actor WebhookReceiver {
    struct Delivery: Sendable { var event: String; var signature: String; var id: String; var body: JSONObject }

    let secret: String
    /// Answer the verification with a wrong token, as a misconfigured receiver would.
    let answersVerificationWrongly: Bool
    /// Statuses to answer deliveries with, in turn; 200 once they run out.
    var scriptedStatuses: [Int]
    private(set) var deliveries: [Delivery] = []
    private(set) var verifications = 0
    private var group: ServiceGroup?
    private var task: Task<Void, Error>?

    init(secret: String, failFirst: Int = 0, wrongVerification: Bool = false) {
        self.secret = secret
        scriptedStatuses = Array(repeating: 500, count: failFirst)
        answersVerificationWrongly = wrongVerification
    }

    func start() async throws -> String {
        let router = Router()
        router.get("/hooks") { request, _ -> Response in
            let msg = request.uri.queryParameters.get("msg") ?? ""
            let token = await self.verify(msg)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: "{\"secret_token\":\"\(token)\"}")))
        }
        router.post("/hooks") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let status = await self.record(
                event: request.headers[HTTPField.Name("X-drchrono-event")!] ?? "",
                signature: request.headers[HTTPField.Name("X-drchrono-signature")!] ?? "",
                id: request.headers[HTTPField.Name("X-drchrono-delivery")!] ?? "",
                body: Data(buffer: body))
            return Response(status: .init(code: status))
        }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test.webhooks")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: {
                continuation.yield($0.localAddress?.port ?? 0); continuation.finish()
            }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        self.group = group
        task = Task { try await group.run() }
        var port = 0
        for await bound in stream { port = bound }
        return "http://127.0.0.1:\(port)/hooks"
    }

    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }

    private func verify(_ message: String) -> String {
        verifications += 1
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        return answersVerificationWrongly ? String(hex.reversed()) : hex
    }

    private func record(event: String, signature: String, id: String, body: Data) -> Int {
        let object = (try? JSONValue.parse(body))?.objectValue ?? [:]
        deliveries.append(Delivery(event: event, signature: signature, id: id, body: object))
        return scriptedStatuses.isEmpty ? 200 : scriptedStatuses.removeFirst()
    }

    /// Waits (up to ten seconds) until `count` deliveries arrived.
    func waitFor(_ count: Int) async -> [Delivery] {
        for _ in 0..<200 where deliveries.count < count {
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return deliveries
    }
}

@Suite("Webhooks, delivered as DrChrono delivers them")
struct WebhookTests {
    func withReceiver(_ receiver: WebhookReceiver, _ body: (RunningSandbox, WebhookReceiver) async throws -> Void) async throws {
        let url = try await receiver.start()
        do {
            try await withSandbox({
                $0.webhookURL = url; $0.webhookSecret = "s3cret-token"
            }) { sandbox in
                try await body(sandbox, receiver)
            }
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }

    func waitUntilVerified(_ sandbox: RunningSandbox) async throws {
        for _ in 0..<200 {
            if try await sandbox.adminJSON("webhooks")["verified"] == .bool(true) { return }
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        Issue.record("the webhook was never verified")
    }

    @Test("verified with an HMAC of msg first; then a booking is delivered with event, signature, delivery id and the object")
    func deliveryAfterVerification() async throws {
        try await withReceiver(WebhookReceiver(secret: "s3cret-token")) { sandbox, receiver in
            try await waitUntilVerified(sandbox)
            #expect(await receiver.verifications >= 1)
            let token = try await sandbox.token()
            let made = try #require(
                try await sandbox.send("POST", "/api/appointments", token: token, json: WriteTests.booking()).json?.objectValue)
            _ = try await sandbox.send("PATCH", "/api/appointments/\(made.string("id")!)", token: token, json: ["status": "Arrived"])
            _ = try await sandbox.send("PATCH", "/api/patients/10003", token: token, json: ["email": "changed@example.com"])
            let deliveries = await receiver.waitFor(3)
            #expect(deliveries.map(\.event) == ["APPOINTMENT_CREATE", "APPOINTMENT_MODIFY", "PATIENT_MODIFY"])
            #expect(deliveries.allSatisfy { $0.signature == "s3cret-token" })
            #expect(Set(deliveries.map(\.id)).count == 3, "each delivery has its own id")
            #expect(deliveries[0].body["object"]?.objectValue?.string("id") == made.string("id"))
            #expect(deliveries[1].body["object"]?.objectValue?.string("status") == "Arrived")
            #expect(deliveries[0].body["receiver"] != nil)
        }
    }

    @Test("locking and unlocking a note in the web app sends CLINICAL_NOTE_LOCK and UNLOCK")
    func noteLocks() async throws {
        try await withReceiver(WebhookReceiver(secret: "s3cret-token")) { sandbox, receiver in
            try await waitUntilVerified(sandbox)
            let note = try #require(
                try await sandbox.adminJSON("records/clinical_notes")["results"]?.arrayValue?.last?.objectValue?.int("id"))
            #expect(try await sandbox.admin("POST", "notes/\(note)/unlock").status == 200)
            #expect(try await sandbox.admin("POST", "notes/\(note)/lock").status == 200)
            let deliveries = await receiver.waitFor(2)
            #expect(deliveries.map(\.event) == ["CLINICAL_NOTE_UNLOCK", "CLINICAL_NOTE_LOCK"])
        }
    }

    @Test("a failed delivery is retried 1, 3 and 7 sandbox hours after the event, then dropped")
    func redelivery() async throws {
        try await withReceiver(WebhookReceiver(secret: "s3cret-token", failFirst: 10)) { sandbox, receiver in
            try await waitUntilVerified(sandbox)
            let token = try await sandbox.token()
            _ = try await sandbox.send("POST", "/api/appointments", token: token, json: WriteTests.booking())
            #expect(await receiver.waitFor(1).count == 1)
            try await Task.sleep(nanoseconds: 300_000_000)
            #expect(await receiver.deliveries.count == 1, "no retry before the hour")
            for (hours, attempts) in [(1, 2), (2, 3), (4, 4)] {
                try await sandbox.advanceClock(seconds: hours * 3600)
                #expect(await receiver.waitFor(attempts).count == attempts)
            }
            try await sandbox.advanceClock(seconds: 24 * 3600)
            try await Task.sleep(nanoseconds: 300_000_000)
            #expect(await receiver.deliveries.count == 4, "dropped after the 7-hour retry")
            let state = try await sandbox.adminJSON("webhooks")["deliveries"]?.arrayValue?.first?.objectValue
            #expect(state?.string("state") == "dropped" && state?.int("attempts") == 4)
            #expect(Set(await receiver.deliveries.map(\.id)).count == 1, "a redelivery keeps its delivery id")
        }
    }

    @Test("a receiver that answers the verification wrongly gets no deliveries")
    func unverifiedReceiverGetsNothing() async throws {
        try await withReceiver(WebhookReceiver(secret: "s3cret-token", wrongVerification: true)) { sandbox, receiver in
            for _ in 0..<100 where await receiver.verifications == 0 { try await Task.sleep(nanoseconds: 25_000_000) }
            let token = try await sandbox.token()
            _ = try await sandbox.send("POST", "/api/appointments", token: token, json: WriteTests.booking())
            try await Task.sleep(nanoseconds: 300_000_000)
            #expect(await receiver.deliveries.isEmpty)
            let status = try await sandbox.adminJSON("webhooks")
            #expect(status["verified"] == .bool(false))
            #expect(status.string("verification") == "the receiver's secret_token did not match")
        }
    }
}
