import Crypto
import DrChronoAPI
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mirror
import ServiceLifecycle

/// Receives DrChrono's webhooks and turns each into a re-fetch of the one object it
/// names, so today's schedule is seconds old rather than a polling interval.
///
/// A hook is only a hint: its body is not trusted or stored, the object is fetched
/// through the API (and the request budget). DrChrono retries failed hooks hours
/// later, so polling remains what guarantees freshness.
public actor WebhookReceiver {
    let engine: SyncEngine
    let secret: String
    let host: String
    let port: Int
    private var seen: [String] = []
    private var seenSet = Set<String>()
    private var group: ServiceGroup?
    private var task: Task<Void, Error>?
    private var refreshes: [Task<Void, Never>] = []
    private let logger = Logger(label: "chronoterm.webhooks")

    public init(engine: SyncEngine, secret: String, host: String = "127.0.0.1", port: Int = 0) {
        (self.engine, self.secret, self.host, self.port) = (engine, secret, host, port)
    }

    /// Starts listening; answers the port.
    public func start() async throws -> Int {
        let router = Router()
        router.get("/**") { request, _ -> Response in
            let message = request.uri.queryParameters.get("msg") ?? ""
            let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(self.secret.utf8)))
            let token = mac.map { String(format: "%02x", $0) }.joined()
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: "{\"secret_token\":\"\(token)\"}")))
        }
        router.post("/**") { request, _ -> Response in
            let signature = request.headers[HTTPField.Name("X-drchrono-signature")!] ?? ""
            guard ConstantTime.equals(signature, self.secret) else { return Response(status: .forbidden) }
            let event = request.headers[HTTPField.Name("X-drchrono-event")!] ?? ""
            let delivery = request.headers[HTTPField.Name("X-drchrono-delivery")!] ?? ""
            let body = try await request.body.collect(upTo: 4 << 20)
            let object = (try? JSONValue.parse(Data(buffer: body)))?.objectValue?.object("object")
            await self.received(event: event, delivery: delivery, object: object)
            return Response(status: .ok)
        }
        var logger = Logger(label: "chronoterm.webhooks.server")
        logger.logLevel = .critical
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "chronoterm"),
            onServerRunning: {
                continuation.yield($0.localAddress?.port ?? 0); continuation.finish()
            }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        self.group = group
        task = Task { try await group.run() }
        var bound = 0
        for await value in stream { bound = value }
        guard bound > 0 else { throw WebhookError.couldNotListen("\(host):\(port)") }
        return bound
    }

    public func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
        for refresh in refreshes { await refresh.value }
    }

    /// Waits for the re-fetches started so far (for tests and orderly shutdown).
    public func settle() async {
        for refresh in refreshes { await refresh.value }
        refreshes.removeAll()
    }

    private func received(event: String, delivery: String, object: JSONObject?) {
        // DrChrono redelivers: a delivery already acted on is acknowledged and ignored.
        if !delivery.isEmpty {
            guard seenSet.insert(delivery).inserted else { return }
            seen.append(delivery)
            if seen.count > 10_000 { seenSet.remove(seen.removeFirst()) }
        }
        guard let id = object?.string("id"), let resource = WebhookReceiver.resource(for: event) else { return }
        let engine = self.engine
        let logger = self.logger
        refreshes.append(
            Task {
                do { try await engine.refresh(resource, id: id) } catch {
                    logger.warning("re-fetch after a webhook failed; polling will catch up", metadata: ["event": "\(event)"])
                }
            })
    }

    static func resource(for event: String) -> MirrorResource? {
        if event.hasPrefix("APPOINTMENT_") { return .appointments }
        if event.hasPrefix("PATIENT_") && !event.contains("PROBLEM") && !event.contains("ALLERGY") && !event.contains("MEDICATION") {
            return .patients
        }
        if event.hasPrefix("CLINICAL_NOTE_") { return .clinicalNotes }
        return nil
    }
}

public enum WebhookError: Error, CustomStringConvertible {
    case couldNotListen(String)
    public var description: String {
        switch self {
        case .couldNotListen(let address): "Could not listen for webhooks on \(address); is the address free?"
        }
    }
}
