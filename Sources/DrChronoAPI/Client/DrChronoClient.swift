import Foundation
import Logging

/// The one way chronoterm talks to DrChrono.
///
/// Every request passes through the profile's ``RequestBudget``, carries a fresh token
/// from the ``TokenSession`` and the pinned API version, and meets DrChrono's real
/// behaviour: a 302 is replayed with the same method, body and headers; a 401 refreshes
/// once; a 429 waits (briefly for the burst throttle, until the top of the hour for the
/// hourly one); reads retry network failures and 5xx with jittered backoff; a write
/// whose outcome is unknown is reported as ``APIError/ambiguous(_:)``, never resent.
///
/// ```swift
/// let client = DrChronoClient(server: server, tokens: session, budget: budget)
/// for try await page in client.pages("/api/patients", query: ["since": "2026-03-01"]) { … }
/// let booked = try await client.send(.post("/api/appointments", json: booking), priority: .write)
/// ```
public actor DrChronoClient {
    public nonisolated let server: DrChronoServer
    let tokens: TokenSession
    let budget: RequestBudget
    let transport: any HTTPTransport
    let time: any TimeSource
    public nonisolated let apiVersion: String
    /// The request budget's shares: what a caller planning its own requests must fit.
    public nonisolated var budgetPolicy: BudgetPolicy { budget.policy }
    public var retryPolicy = RetryPolicy()
    private var retries: RetryAllowance
    private let logger: Logger

    public init(
        server: DrChronoServer, tokens: TokenSession, budget: RequestBudget,
        transport: any HTTPTransport = CurlTransport(), time: any TimeSource = SystemTime(),
        apiVersion: String = "v4", logger: Logger = Logger(label: "chronoterm.api")
    ) {
        self.server = server
        self.tokens = tokens
        self.budget = budget
        self.transport = transport
        self.time = time
        self.apiVersion = apiVersion
        self.logger = logger
        retries = RetryAllowance(policy: RetryPolicy())
    }

    /// What to send: a method, a path (or an absolute `next` URL) and a body.
    public struct Call: Sendable {
        public var method: String
        public var target: String
        public var query: [String: String] = [:]
        public var body: Data?
        public var contentType: String?
        /// Whether resending could do it twice. Reads and bulk-list requests are not.
        public var isWrite: Bool
        /// The most of the answer to read (a document's file); nil: all of it.
        public var maxBodyBytes: Int?

        public static func get(_ target: String, query: [String: String] = [:]) -> Call {
            Call(method: "GET", target: target, query: query, isWrite: false)
        }
        public static func post(_ target: String, json: JSONValue, query: [String: String] = [:]) -> Call {
            Call(method: "POST", target: target, query: query, body: json.serialized, contentType: "application/json", isWrite: true)
        }
        public static func patch(_ target: String, json: JSONValue) -> Call {
            Call(method: "PATCH", target: target, body: json.serialized, contentType: "application/json", isWrite: true)
        }
        public static func put(_ target: String, json: JSONValue) -> Call {
            Call(method: "PUT", target: target, body: json.serialized, contentType: "application/json", isWrite: true)
        }
        public static func delete(_ target: String) -> Call { Call(method: "DELETE", target: target, isWrite: true) }
        public static func upload(_ target: String, _ body: MultipartBody) -> Call {
            Call(method: "POST", target: target, body: body.encoded, contentType: body.contentType, isWrite: true)
        }

        public init(
            method: String, target: String, query: [String: String] = [:], body: Data? = nil, contentType: String? = nil, isWrite: Bool
        ) {
            (self.method, self.target, self.query, self.body, self.contentType, self.isWrite) = (
                method, target, query, body, contentType, isWrite
            )
        }

        /// `POST /api/appointments`, ids and queries left out: safe for logs.
        var summary: String { "\(method) \(PathTemplate.of(target))" }
    }

    /// The longest a request may take before the transport gives up on it: after that,
    /// a request whose sender vanished has surely ended at DrChrono too.
    public nonisolated var longestRequest: TimeInterval { transport.longestRequest }

    /// Why a write did not leave: ``send(_:priority:gate:)``'s gate said no.
    public static let fencedOut = "another chronoterm now sends this profile's writes"

    /// Sends `call`, answering the 2xx response or throwing what went wrong.
    ///
    /// `gate` is asked right before each time the request leaves (after any wait for the
    /// budget): when it answers false nothing is sent and the call fails as unavailable
    /// with ``fencedOut``. The write queue fences each send by the sync lease with it.
    public func send(
        _ call: Call, priority: RequestPriority = .interactive, gate: (@Sendable () async -> Bool)? = nil
    ) async throws(APIError) -> HTTPResponse {
        var url = try resolve(call)
        var attempt = 0
        var redirects = 0
        var refreshed = false
        var throttledOnce = false
        while true {
            try await budget.acquire(priority, waitForNextHour: priority != .interactive)
            let token = try await tokens.accessToken()
            if let gate, await !gate() { throw .unavailable(Self.fencedOut) }
            var headers = [("Authorization", "Bearer \(token)"), ("X-DRC-API-Version", apiVersion), ("Accept", "application/json")]
            if let type = call.contentType { headers.append(("Content-Type", type)) }
            let response: HTTPResponse
            do {
                response = try await transport.send(
                    HTTPRequest(method: call.method, url: url, headers: headers, body: call.body, maxBodyBytes: call.maxBodyBytes))
            } catch {
                logger.info("request failed", metadata: ["call": "\(call.summary)", "error": "\(error.kind)"])
                if case .tooLarge = error { throw .unexpected("\(error.description): too large to open here") }
                if call.isWrite && error.mayHaveReachedServer { throw .ambiguous(call.summary) }
                if attempt + 1 < retryPolicy.maxAttempts, retries.spend() {
                    try? await time.sleep(seconds: retryPolicy.delay(beforeRetry: attempt))
                    attempt += 1
                    continue
                }
                throw .unavailable(error.description)
            }
            logger.debug("answered", metadata: ["call": "\(call.summary)", "status": "\(response.status)"])
            switch response.status {
            case 200..<300:
                retries.earn()
                return response
            case 301, 302, 303, 307, 308:
                // DrChrono redirects to an equivalent URL; the request has not been
                // acted on, so it is replayed whole — method, body and headers.
                guard redirects < 5, let location = response.header("location"),
                    let next = URL(string: location, relativeTo: url)?.absoluteURL
                else {
                    throw .unexpected("too many redirects for \(call.summary)")
                }
                redirects += 1
                url = next
            case 401:
                guard !refreshed else { throw .loginRequired("the access token was refused right after a refresh") }
                refreshed = true
                _ = try await tokens.refresh(after: token)
            case 403:
                throw .forbidden(response.json?.objectValue?.string("detail") ?? "permission denied.")
            case 404:
                // An id names a record without saying anything about a patient.
                throw .notFound(url.path)
            case 400, 413:
                throw .invalid(APIError.fields(from: response.json))
            case 409:
                let body = response.json?.objectValue
                throw .conflict(
                    body?.string("detail") ?? "DrChrono reports a conflict.", overlapping: body?.strings("overlapping_appointments") ?? [])
            case 429:
                // No Retry-After from DrChrono. A first 429 is taken for the burst
                // throttle: wait a moment and try again. A second means the hour is spent.
                if !throttledOnce {
                    throttledOnce = true
                    try? await time.sleep(seconds: 1 + Double.random(in: 0...1))
                    continue
                }
                throttledOnce = false
                await budget.markHourExhausted()
                if priority == .interactive {
                    throw .budgetExhausted(
                        resetsAt: Date(timeIntervalSince1970: (await time.now().timeIntervalSince1970 / 3600).rounded(.down) * 3600 + 3600))
                }
            case 500...:
                if call.isWrite { throw .ambiguous(call.summary) }
                if attempt + 1 < retryPolicy.maxAttempts, retries.spend() {
                    try? await time.sleep(seconds: retryPolicy.delay(beforeRetry: attempt))
                    attempt += 1
                    continue
                }
                throw .unavailable("DrChrono kept failing on its side, \(attempt + 1) tries in a row (server error \(response.status))")
            default:
                throw .unexpected("an answer DrChrono does not give (HTTP \(response.status)) to \(call.summary)")
            }
        }
    }

    /// Sends `call` and answers its JSON body.
    public func json(
        _ call: Call, priority: RequestPriority = .interactive, gate: (@Sendable () async -> Bool)? = nil
    ) async throws(APIError) -> JSONValue {
        let response = try await send(call, priority: priority, gate: gate)
        guard let json = response.json else { throw .unexpected("an answer that is not JSON for \(call.summary)") }
        return json
    }

    /// Requests left this hour for a person's action.
    public func budgetRemaining() async -> Int { await budget.remaining(for: .interactive) }

    /// Requests the profile's processes have spent this hour, and the limits they keep.
    public func budgetSpent() async -> (spent: Int, policy: BudgetPolicy) { (await budget.spentThisHour(), budget.policy) }

    public func currentUser() async throws(APIError) -> CurrentUser {
        guard let user = try await json(.get("/api/users/current")).objectValue.flatMap(CurrentUser.init(json:)) else {
            throw .unexpected("users/current without an id")
        }
        return user
    }

    private func resolve(_ call: Call) throws(APIError) -> URL {
        let base = call.target.hasPrefix("http") ? URL(string: call.target) : server.url(call.target)
        guard let base, var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else {
            throw .unexpected("not a URL: \(call.target)")
        }
        if !call.query.isEmpty {
            var items = components.queryItems ?? []
            for key in call.query.keys.sorted() { items.append(URLQueryItem(name: key, value: call.query[key])) }
            components.percentEncodedQuery = items.map { "\(FormEncoding.escape($0.name))=\(FormEncoding.escape($0.value ?? ""))" }.joined(
                separator: "&")
        }
        guard let url = components.url else { throw .unexpected("not a URL: \(call.target)") }
        return url
    }
}

/// `/api/patients/10017` → `/api/patients/{id}`: a path without identifiers, for logs.
enum PathTemplate {
    static func of(_ target: String) -> String {
        let path = URL(string: target).map { $0.path.isEmpty ? target : $0.path } ?? target
        let parts: [String] = path.split(separator: "/").map { part in
            // Numbers, and long tokens with digits (UUIDs): not a resource's name, which
            // may be long too (`clinical_note_field_types`).
            let isIdentifier = part.allSatisfy(\.isNumber) || (part.count >= 20 && part.contains(where: \.isNumber) && !part.contains("_"))
            return isIdentifier ? "{id}" : String(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

extension TransportError {
    /// The kind of failure without its message (which may carry a host name).
    var kind: String {
        switch self {
        case .couldNotConnect: "could not connect"
        case .connectionLost: "connection lost"
        case .timedOut: "timed out"
        case .tls: "TLS"
        case .tooLarge: "too large"
        case .other: "other"
        }
    }
}
