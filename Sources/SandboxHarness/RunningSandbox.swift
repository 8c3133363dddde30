import DrChronoAPI
import DrChronoSandbox
import Foundation
import Mirror

/// A sandbox running on a free loopback port for one test, with helpers to talk to it
/// over real HTTP the way a DrChrono client would. Shared by every test target that
/// needs a DrChrono to talk to.
public struct RunningSandbox: Sendable {
    public let server: SandboxServer
    public let base: URL
    public let http = CurlTransport(connectTimeout: .seconds(5), totalTimeout: .seconds(30))

    /// Wednesday 4 March 2026, 10:30 in the practice: a working day, mid-morning.
    public static let wednesdayMorning = LocalDateTime(year: 2026, month: 3, day: 4, hour: 10, minute: 30)
    public static let practiceZone = TimeZone(identifier: "America/Chicago")!

    public static func start(_ configure: (inout SandboxConfiguration) -> Void = { _ in }) async throws -> RunningSandbox {
        var configuration = SandboxConfiguration()
        configuration.timeZone = practiceZone
        configuration.startTime = wednesdayMorning.date(in: practiceZone)
        configure(&configuration)
        let server = SandboxServer(configuration: configuration)
        let base = try await server.start()
        return RunningSandbox(server: server, base: base)
    }

    public func stop() async { await server.stop() }

    public func url(_ path: String, _ query: [String: String] = [:]) -> URL {
        if path.hasPrefix("http") { return URL(string: path)! }
        var components = URLComponents(url: base.appendingPathComponent(""), resolvingAgainstBaseURL: false)!
        let parts = path.split(separator: "?", maxSplits: 1)
        components.path = String(parts[0])
        if parts.count > 1 { components.percentEncodedQuery = String(parts[1]) }
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        return components.url!
    }

    @discardableResult
    public func send(
        _ method: String, _ path: String, query: [String: String] = [:], token: String? = nil,
        json: JSONValue? = nil, form: [String: String]? = nil, body: Data? = nil,
        headers: [(String, String)] = []
    ) async throws -> HTTPResponse {
        var request = HTTPRequest(method: method, url: url(path, query), headers: headers)
        if let token { request.headers.append(("Authorization", "Bearer \(token)")) }
        if let json {
            request.body = json.serialized
            request.headers.append(("Content-Type", "application/json"))
        } else if let form {
            request.body = Data(form.map { "\($0.key.formEscaped)=\($0.value.formEscaped)" }.joined(separator: "&").utf8)
            request.headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        } else if let body {
            request.body = body
        }
        return try await http.send(request)
    }

    /// Runs the authorization-code flow and answers the token response; `user`: the
    /// practice's DrChrono user who signs in (the first, front desk, when nil).
    public func authorize(
        scope: String? = nil, client: String = "sandbox-client", secret: String = "sandbox-secret",
        redirectURI: String = "http://127.0.0.1:9/callback", user: String? = nil
    ) async throws -> JSONObject {
        var query = ["client_id": client, "redirect_uri": redirectURI, "response_type": "code"]
        if let scope { query["scope"] = scope }
        if let user { query["sandbox_user"] = user }
        let approval = try await send("GET", "/o/authorize/", query: query)
        let location = try unwrap(approval.header("location"), "authorize answered no Location")
        let code = try unwrap(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value, "no code in \(location)")
        let token = try await send(
            "POST", "/o/token/",
            form: [
                "grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI,
                "client_id": client, "client_secret": secret,
            ])
        return try unwrap(token.status == 200 ? token.json?.objectValue : nil, "token exchange answered \(token.status)")
    }

    /// An access token with every scope, granted by `user` (front desk when nil).
    public func token(user: String? = nil) async throws -> String {
        try unwrap(try await authorize(user: user)["access_token"]?.stringValue, "no access token")
    }

    /// GETs `path` and follows `next` to the end, answering every row.
    public func all(_ path: String, query: [String: String] = [:], token: String) async throws -> (rows: [JSONObject], pages: Int) {
        var rows: [JSONObject] = []
        var pages = 0
        var next: String? = url(path, query).absoluteString
        while let link = next {
            let page = try await send("GET", link, token: token)
            let body = try unwrap(page.status == 200 ? page.json?.objectValue : nil, "page \(pages) of \(path) answered \(page.status)")
            rows += (body["results"]?.arrayValue ?? []).compactMap(\.objectValue)
            next = body["next"]?.stringValue
            pages += 1
        }
        return (rows, pages)
    }

    public func admin(_ method: String, _ path: String, _ json: JSONValue? = nil) async throws -> HTTPResponse {
        try await send(method, "/_sandbox/" + path, json: json)
    }

    public func adminJSON(_ path: String) async throws -> JSONObject {
        try unwrap(try await admin("GET", path).json?.objectValue, "admin \(path) answered no JSON")
    }

    /// Stops the sandbox clock, so request timing is exact whatever the machine's load.
    public func freezeClock() async throws {
        _ = try unwrap(try await admin("POST", "clock", ["frozen": true]).status == 200 ? true : nil, "the clock did not freeze")
    }

    public func advanceClock(seconds: Int) async throws {
        try await advanceClock(by: Double(seconds))
    }

    public func advanceClock(by seconds: Double) async throws {
        let answer = try await admin("POST", "clock", ["advance_seconds": .double(seconds)])
        _ = try unwrap(answer.status == 200 ? true : nil, "the clock did not move: \(answer.status)")
    }

    /// The sandbox clock's time.
    public func now() async throws -> Date {
        Date(timeIntervalSince1970: try unwrap(try await adminJSON("clock").double("epoch_seconds"), "no clock"))
    }

    /// How many requests reached `endpoint` ("GET /api/patients"), from the counters.
    public func count(_ endpoint: String) async throws -> Int {
        try await adminJSON("requests")["by_endpoint"]?.objectValue?[endpoint]?.intValue ?? 0
    }
}

/// Starts a sandbox, runs `body`, and stops it even when `body` throws.
public func withSandbox(
    _ configure: (inout SandboxConfiguration) -> Void = { _ in },
    _ body: (RunningSandbox) async throws -> Void
) async throws {
    let sandbox = try await RunningSandbox.start(configure)
    do {
        try await body(sandbox)
    } catch {
        await sandbox.stop()
        throw error
    }
    await sandbox.stop()
}

/// The value, or an error saying what was missing.
public func unwrap<T>(_ value: T?, _ what: @autoclosure () -> String) throws -> T {
    guard let value else { throw SandboxTestError(description: what()) }
    return value
}

public struct SandboxTestError: Error, CustomStringConvertible {
    public var description: String
}

/// The sandbox's clock as a client's ``TimeSource``: when the client sleeps, the
/// sandbox's time moves on instead, so an hour's wait takes a moment.
///
/// `steppingThroughActivity`: a sleep stops at each of the living practice's changes
/// and lets that moment's webhooks be delivered (and answered) before time moves on —
/// as they would be in real time, where a hook takes a moment, not a polling interval.
public struct SandboxTime: TimeSource {
    public let sandbox: RunningSandbox
    public let steppingThroughActivity: Bool
    public init(_ sandbox: RunningSandbox, steppingThroughActivity: Bool = false) {
        self.sandbox = sandbox
        self.steppingThroughActivity = steppingThroughActivity
    }
    public func now() async -> Date { (try? await sandbox.now()) ?? Date() }
    public func sleep(seconds: TimeInterval) async throws {
        guard seconds > 0 else { return }
        guard steppingThroughActivity else { return try await sandbox.advanceClock(by: seconds) }
        let end = try await sandbox.now().addingTimeInterval(seconds)
        while true {
            let left = end.timeIntervalSince(try await sandbox.now())
            guard left > 0.000_5 else { return }
            let answer = try await sandbox.admin("POST", "clock", ["advance_seconds": .double(left), "until_activity": true])
            _ = try unwrap(answer.status == 200 ? true : nil, "the clock did not move: \(answer.status)")
            _ = try await sandbox.admin("POST", "webhooks/settle")
        }
    }
}

extension String {
    var formEscaped: String {
        addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self
    }
}

extension RunningSandbox {
    /// The ids of `resource` a complete mirror holds: every row the sandbox has (deleted
    /// appointments left out) — or, for what the mirror keeps only a day's part of (the
    /// day's payments, today's and tomorrow's eligibility checks), what DrChrono lists
    /// for that part today.
    /// `today`: the client's, when its clock is not the sandbox's (a `chronoterm` run
    /// against a sandbox whose clock was set back); by default the sandbox's own.
    public func mirroredIds(of resource: MirrorResource, today: LocalDateTime? = nil) async throws -> Set<String> {
        var today = today
        if today == nil { today = try await adminJSON("clock").dateTime("now") }
        let day = today ?? LocalDateTime(Date(), in: .current)
        if let window = resource.window(today: day) {
            return Set(
                try await all(resource.path, query: window, token: try await token()).rows.compactMap {
                    $0.string("id") ?? $0.string("billing_line_item_id")
                })
        }
        let rows = try await adminJSON("records/\(resource.rawValue)")["results"]?.arrayValue ?? []
        return Set(rows.compactMap(\.objectValue).filter { $0["deleted_flag"] != .bool(true) }.compactMap { $0.string("id") })
    }
}
