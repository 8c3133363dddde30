import Crypto
import DrChronoAPI
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mirror
import ServiceLifecycle

/// Receives DrChrono's webhooks and stores the object each carries, so today's schedule
/// is seconds old rather than a polling interval — at no cost to the hour's requests.
///
/// A hook is trusted as far as its signature: DrChrono signs each with the secret the
/// practice registered (compared in constant time), so its object is DrChrono's own
/// words, decoded as tolerantly as a page of the API. It is stored only if it is not
/// older than the row the mirror holds (a hook can arrive after a poll read a newer
/// state). A hook without a readable object (a deletion, a malformed body) becomes a
/// re-fetch of the one object through the budget. DrChrono retries failed hooks hours
/// later, so polling remains what guarantees freshness.
public actor WebhookReceiver {
    let engine: any MirrorKeeper
    let secret: String
    let host: String
    let port: Int
    private var seen: [String] = []
    private var seenSet = Set<String>()
    private var group: ServiceGroup?
    private var task: Task<Void, Error>?
    private var refreshes: [Task<Void, Never>] = []
    private let logger = Logger(label: "chronoterm.webhooks")

    public init(engine: any MirrorKeeper, secret: String, host: String = "127.0.0.1", port: Int = 0) {
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

    /// Objects stored straight from hooks (for tests and the daemon's report).
    public private(set) var stored = 0

    private func received(event: String, delivery: String, object: JSONObject?) async {
        // DrChrono redelivers: a delivery already acted on is acknowledged and ignored.
        if !delivery.isEmpty {
            guard seenSet.insert(delivery).inserted else { return }
            seen.append(delivery)
            if seen.count > 10_000 { seenSet.remove(seen.removeFirst()) }
        }
        guard let id = object?.string("id"), let resource = WebhookReceiver.resource(for: event) else { return }
        if let object, !event.hasSuffix("_DELETE"), object.string("updated_at") != nil {
            let mirror = engine.mirror
            do {
                _ = try await mirror.write(.webhook) { db in try MirrorWriter.storeIfNewer(object, as: resource, in: db) }
                stored += 1
                return
            } catch {
                logger.warning("a webhook's object could not be stored; fetching it instead", metadata: ["event": "\(event)"])
            }
        }
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
