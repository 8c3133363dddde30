import DrChronoAPI
import DrChronoSandbox
import Foundation
import Testing

/// A sandbox running on a free loopback port for one test, with helpers to talk to it
/// over real HTTP the way a DrChrono client would.
struct RunningSandbox: Sendable {
    let server: SandboxServer
    let base: URL
    let http = CurlTransport(connectTimeout: .seconds(5), totalTimeout: .seconds(30))

    /// Wednesday 4 March 2026, 10:30 in the practice: a working day, mid-morning.
    static let wednesdayMorning = LocalDateTime(year: 2026, month: 3, day: 4, hour: 10, minute: 30)
    static let practiceZone = TimeZone(identifier: "America/Chicago")!

    static func start(_ configure: (inout SandboxConfiguration) -> Void = { _ in }) async throws -> RunningSandbox {
        var configuration = SandboxConfiguration()
        configuration.timeZone = practiceZone
        configuration.startTime = wednesdayMorning.date(in: practiceZone)
        configure(&configuration)
        let server = SandboxServer(configuration: configuration)
        let base = try await server.start()
        return RunningSandbox(server: server, base: base)
    }

    func stop() async { await server.stop() }

    func url(_ path: String, _ query: [String: String] = [:]) -> URL {
        if path.hasPrefix("http") { return URL(string: path)! }
        var components = URLComponents(url: base.appendingPathComponent(""), resolvingAgainstBaseURL: false)!
        let parts = path.split(separator: "?", maxSplits: 1)
        components.path = String(parts[0])
        if parts.count > 1 { components.percentEncodedQuery = String(parts[1]) }
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        return components.url!
    }

    @discardableResult
    func send(_ method: String, _ path: String, query: [String: String] = [:], token: String? = nil,
              json: JSONValue? = nil, form: [String: String]? = nil, body: Data? = nil,
              headers: [(String, String)] = []) async throws -> HTTPResponse {
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

    /// Runs the authorization-code flow and answers the token response.
    func authorize(scope: String? = nil, client: String = "sandbox-client", secret: String = "sandbox-secret") async throws -> JSONObject {
        var query = ["client_id": client, "redirect_uri": "http://127.0.0.1:9/callback", "response_type": "code"]
        if let scope { query["scope"] = scope }
        let approval = try await send("GET", "/o/authorize/", query: query)
        let location = try #require(approval.header("location"))
        let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
        let token = try await send("POST", "/o/token/", form: [
            "grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1:9/callback",
            "client_id": client, "client_secret": secret,
        ])
        #expect(token.status == 200)
        return try #require(token.json?.objectValue)
    }

    /// An access token with every scope.
    func token() async throws -> String {
        try #require(try await authorize()["access_token"]?.stringValue)
    }

    /// GETs `path` and follows `next` to the end, answering every row.
    func all(_ path: String, query: [String: String] = [:], token: String) async throws -> (rows: [JSONObject], pages: Int) {
        var rows: [JSONObject] = []
        var pages = 0
        var next: String? = url(path, query).absoluteString
        while let link = next {
            let page = try await send("GET", link, token: token)
            try #require(page.status == 200, "page \(pages) of \(path) answered \(page.status)")
            let body = try #require(page.json?.objectValue)
            rows += (body["results"]?.arrayValue ?? []).compactMap(\.objectValue)
            next = body["next"]?.stringValue
            pages += 1
        }
        return (rows, pages)
    }

    func admin(_ method: String, _ path: String, _ json: JSONValue? = nil) async throws -> HTTPResponse {
        try await send(method, "/_sandbox/" + path, json: json)
    }

    func adminJSON(_ path: String) async throws -> JSONObject {
        try #require(try await admin("GET", path).json?.objectValue)
    }

    /// Stops the sandbox clock, so request timing is exact whatever the machine's load.
    func freezeClock() async throws {
        #expect(try await admin("POST", "clock", ["frozen": true]).status == 200)
    }

    func advanceClock(seconds: Int) async throws {
        let answer = try await admin("POST", "clock", ["advance_seconds": .int(seconds)])
        #expect(answer.status == 200)
    }

    /// How many requests reached `endpoint` ("GET /api/patients"), from the counters.
    func count(_ endpoint: String) async throws -> Int {
        try await adminJSON("requests")["by_endpoint"]?.objectValue?[endpoint]?.intValue ?? 0
    }
}

/// Starts a sandbox, runs `body`, and stops it even when `body` throws.
func withSandbox(_ configure: (inout SandboxConfiguration) -> Void = { _ in },
                 _ body: (RunningSandbox) async throws -> Void) async throws {
    let sandbox = try await RunningSandbox.start(configure)
    do {
        try await body(sandbox)
    } catch {
        await sandbox.stop()
        throw error
    }
    await sandbox.stop()
}

extension String {
    var formEscaped: String {
        addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self
    }
}
