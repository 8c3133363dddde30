import Crypto
import DrChronoAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A DrChrono-compatible server on loopback: the peer every chronoterm test talks to
/// and the practice `make demo` opens.
///
/// ```swift
/// let sandbox = SandboxServer(configuration: .init())
/// let url = try await sandbox.start()      // http://127.0.0.1:PORT
/// defer { Task { await sandbox.stop() } }
/// ```
public actor SandboxServer {
    public let configuration: SandboxConfiguration
    private var loadedState: SandboxState?
    private var serverTask: Task<Void, Error>?
    private var serviceGroup: ServiceGroup?
    private var webhookTask: Task<Void, Never>?
    private var boundURL: URL?

    public init(configuration: SandboxConfiguration) {
        self.configuration = configuration
    }

    /// The practice, generated on first use.
    var state: SandboxState {
        get async {
            if let loadedState { return loadedState }
            let made = await SandboxState.make(configuration)
            if let loadedState { return loadedState }  // another caller got there first
            loadedState = made
            return made
        }
    }

    /// Starts listening and returns the base URL once the port is bound.
    public func start() async throws -> URL {
        if let boundURL { return boundURL }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = await makeApplication { port in
            continuation.yield(port); continuation.finish()
        }
        var logger = Logger(label: "chronoterm.sandbox")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        serviceGroup = group
        serverTask = Task { try await group.run() }
        var port: Int?
        for await bound in stream { port = bound }
        guard let port else {
            _ = try await serverTask?.value
            throw SandboxError.couldNotBind(host: configuration.host, port: configuration.port)
        }
        let url = URL(string: "http://\(configuration.host):\(port)")!
        boundURL = url
        await startWebhookDelivery()
        return url
    }

    /// Serves until the process gets SIGINT or SIGTERM; `onListening` is told the URL.
    public func run(onListening: @escaping @Sendable (URL) -> Void) async throws {
        let host = configuration.host
        let app = await makeApplication { port in onListening(URL(string: "http://\(host):\(port)")!) }
        await startWebhookDelivery()
        try await app.runService()
        webhookTask?.cancel()
    }

    public func stop() async {
        webhookTask?.cancel()
        await serviceGroup?.triggerGracefulShutdown()
        _ = try? await serverTask?.value
        serverTask = nil
        serviceGroup = nil
        boundURL = nil
    }

    private func makeApplication(onPort: @escaping @Sendable (Int) -> Void) async -> SandboxHTTPService {
        var logger = Logger(label: "chronoterm.sandbox")
        logger.logLevel = .warning
        return SandboxHTTPService(
            state: await self.state, maxBody: configuration.maxBodyBytes, host: configuration.host, port: configuration.port,
            onPort: onPort, logger: logger)
    }

    fileprivate static func respond(to request: Request, channel: any Channel, state: SandboxState, maxBody: Int) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBody)
        } catch {
            return makeResponse(.detail(413, "Request body is larger than \(maxBody / 1_048_576) MB."))
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        // HTTPTypes keeps HTTP/1.1's Host header as the :authority pseudo-header.
        if let authority = request.head.authority { headers["host"] = authority }
        let rawPath = request.uri.path
        let query = request.uri.query ?? ""
        let sandboxRequest = SandboxRequest(
            method: request.method.rawValue,
            path: rawPath.removingPercentEncoding ?? rawPath,
            query: FormDecoding.urlEncoded(Substring(query)),
            headers: headers,
            body: Array(buffer: body),
            queryString: query)
        let response = await state.handle(sandboxRequest)
        if response.dropConnection {
            // The write is committed; now the connection dies before a byte of answer.
            try? await channel.close()
            throw SandboxError.connectionDropped
        }
        return makeResponse(response)
    }

    private static func makeResponse(_ response: SandboxResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return Response(status: .init(code: response.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    // MARK: Webhooks

    /// Runs for the server's life: a webhook can be registered at any time.
    private func startWebhookDelivery() async {
        guard webhookTask == nil else { return }
        let state = await self.state
        webhookTask = Task.detached {
            await WebhookDelivery(state: state).run()
        }
    }
}

/// The sandbox's HTTP server: Hummingbird's HTTP/1 server with the sandbox answering
/// every request. Not Hummingbird's `Application`, which stamps every answer's `Date`
/// with the machine's clock: the sandbox's `Date` is its own clock, as DrChrono's is the
/// clock of its rows' `updated_at`, so a client can tell from when it has seen every
/// change.
struct SandboxHTTPService: Service {
    let state: SandboxState
    let maxBody: Int
    let host: String
    let port: Int
    let onPort: @Sendable (Int) -> Void
    let logger: Logger

    func run() async throws {
        let state = self.state
        let maxBody = self.maxBody
        let logger = self.logger
        let server = try HTTPServerBuilder.http1().buildServer(
            configuration: ServerConfiguration(address: .hostname(host, port: port), serverName: "chronoterm-sandbox"),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger,
            responder: { request, writer, channel in
                var response: Response
                do {
                    response = try await SandboxServer.respond(to: request, channel: channel, state: state, maxBody: maxBody)
                } catch SandboxError.connectionDropped {
                    throw SandboxError.connectionDropped
                } catch {
                    response = Response(status: .internalServerError)
                }
                response.headers[.server] = "chronoterm-sandbox"
                try await writer.write(response: response.head, body: response.body)
            },
            onServerRunning: { channel in onPort(channel.localAddress?.port ?? 0) })
        try await server.run()
    }

    /// Serves until SIGINT or SIGTERM.
    func runService() async throws {
        let group = ServiceGroup(configuration: .init(services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

public enum SandboxError: Error, CustomStringConvertible {
    case couldNotBind(host: String, port: Int)
    case connectionDropped

    public var description: String {
        switch self {
        case .couldNotBind(let host, let port):
            "could not listen on \(host):\(port) — is another program using that port? Try --port 0 for a free one."
        case .connectionDropped: "connection dropped by fault injection"
        }
    }
}

/// Sends webhook deliveries as DrChrono does: verification first, then each event,
/// retried on the sandbox clock's schedule.
struct WebhookDelivery: Sendable {
    let state: SandboxState

    static let session = URLSession(configuration: .ephemeral)

    func run() async {
        let session = WebhookDelivery.session
        while !Task.isCancelled {
            // The living practice moves on in real time too, and its webhooks go out.
            await state.runActivity()
            if let target = await state.webhookTarget {
                if await !state.webhooks.verified {
                    let (ok, message) = await verify(target.url, secret: target.secret, session: session)
                    await state.webhookVerified(ok, message)
                    if !ok { try? await Task.sleep(nanoseconds: 500_000_000); continue }
                }
                for delivery in await state.takeDueWebhooks() {
                    let delivered = await send(delivery, to: target, session: session)
                    await state.webhookFinished(delivery.id, delivered: delivered)
                }
            }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    /// DrChrono GETs the callback with `msg` and expects `{"secret_token": hex(HMAC-SHA256(secret, msg))}`.
    func verify(_ url: String, secret: String, session: URLSession) async -> (Bool, String) {
        let message = OAuthGrants.randomToken(24)
        let separator = url.contains("?") ? "&" : "?"
        guard let verifyURL = URL(string: url + separator + "msg=" + message) else { return (false, "the webhook URL is not a URL") }
        let expected = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
        var request = URLRequest(url: verifyURL)
        request.timeoutInterval = 5
        guard let (data, response) = try? await session.data(for: request) else { return (false, "the receiver did not answer") }
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            return (false, "the receiver answered the verification with an error")
        }
        guard case .object(let body)? = try? JSONValue.parse(data), body["secret_token"]?.stringValue == expected else {
            return (false, "the receiver's secret_token did not match")
        }
        return (true, "verified")
    }

    func send(_ delivery: WebhookQueue.Delivery, to target: (url: String, secret: String), session: URLSession) async -> Bool {
        guard let url = URL(string: target.url) else { return false }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = 5
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(delivery.event, forHTTPHeaderField: "X-drchrono-event")
        request.setValue(target.secret, forHTTPHeaderField: "X-drchrono-signature")
        request.setValue(delivery.id, forHTTPHeaderField: "X-drchrono-delivery")
        request.httpBody = Data(delivery.body)
        guard let (_, response) = try? await session.data(for: request), let http = response as? HTTPURLResponse else { return false }
        return (200..<300).contains(http.statusCode)
    }
}

extension SandboxServer {
    /// One line about the practice: how many of each thing it holds.
    public var practiceSummary: String {
        get async { await state.summary }
    }
}

extension SandboxState {
    var summary: String {
        let p = practice
        return "\(configuration.size.rawValue), seed \(configuration.seed): \(p.offices.count) offices, \(p.doctors.count) doctors, "
            + "\(p.patients.count) patients, \(p.appointments.count) appointments, \(p.notes.count) notes, \(p.lineItems.count) line items"
    }
}
