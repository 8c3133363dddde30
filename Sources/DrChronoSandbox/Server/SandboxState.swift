import DrChronoAPI
import Foundation

/// The whole sandbox behind its HTTP server: the practice, OAuth, limits, faults, the
/// clock, counters and the webhook queue. One actor, so every request sees a
/// consistent practice and tests can reason about order.
actor SandboxState {
    let configuration: SandboxConfiguration
    let timeZone: TimeZone
    var practice: Practice
    var oauth = OAuthGrants()
    var limits: RequestLimits
    var faults: FaultSpec
    var faultRandom: SeededRandom
    var counters = RequestCounters()
    /// Sandbox time minus real time, in seconds: moved by `/_sandbox/clock`.
    var clockOffset: Double
    var bulkJobs: [String: BulkJob] = [:]
    /// DrChrono's own record of who changed what through the API: each write's user.
    var writeLog: [JSONValue] = []
    var webhooks: WebhookQueue

    /// The sandbox clock stands still while frozen (tests freeze it to make "eleven
    /// calls within one second" exact); it still moves when told to.
    var frozenAt: Double?
    /// While an activity event is made, the sandbox's time is that event's moment.
    var activityClock: Double?
    /// The living practice (`--activity day`), or nil when nothing changes by itself.
    var activity: ActivityLog?

    init(configuration: SandboxConfiguration, practice: Practice, clockOffset: Double) {
        self.configuration = configuration
        timeZone = configuration.timeZone
        self.clockOffset = clockOffset
        self.practice = practice
        limits = RequestLimits(enabled: configuration.limitsEnabled)
        limits.hourly = configuration.hourlyLimit
        faults = configuration.faults
        faultRandom = SeededRandom(seed: configuration.seed ^ 0xFA17)
        webhooks = WebhookQueue(url: configuration.webhookURL, secret: configuration.webhookSecret)
        if let lifetime = configuration.faults.tokenLifetime { oauth.accessTokenLifetime = lifetime }
        if configuration.activity == .day { activity = ActivityLog(seed: configuration.seed) }
    }

    // MARK: Clock

    /// Sandbox time, seconds since 1970.
    var now: Double { activityClock ?? frozenAt ?? Date().timeIntervalSince1970 + clockOffset }

    /// Generates the practice for `configuration` on a thread of its own: it takes
    /// seconds for `large`, which must not hold up Swift's cooperative threads.
    static func make(_ configuration: SandboxConfiguration) async -> SandboxState {
        let offset = configuration.startTime.map { $0.timeIntervalSinceNow } ?? 0
        let now = LocalDateTime(Date().addingTimeInterval(offset), in: configuration.timeZone)
        let practice: Practice = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: PracticeGenerator(size: configuration.size, seed: configuration.seed, now: now).generate())
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        return SandboxState(configuration: configuration, practice: practice, clockOffset: offset)
    }
    var nowSeconds: Int { Int(now.rounded(.down)) }
    /// The practice's wall clock now: what `updated_at` records.
    var localNow: LocalDateTime { LocalDateTime(Date(timeIntervalSince1970: now), in: timeZone) }

    // MARK: Dispatch

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        let path = request.path
        runActivity()
        if path == "/_sandbox/webhooks/settle" && request.method == "POST" {
            await settleWebhooks()
            return .json(200, webhooks.json)
        }
        if path == "/_sandbox" || path.hasPrefix("/_sandbox/") {
            return admin(request)
        }
        let endpoint = request.method + " " + RequestCounters.template(of: path)
        var response: SandboxResponse
        if path.hasPrefix("/o/") {
            response = oauthEndpoint(request)
        } else if path == "/api" || path.hasPrefix("/api/") {
            response = await api(request)
        } else {
            response = .notFound
        }
        counters.record(endpoint: endpoint, status: response.status, at: now)
        if let rows = response.listedRows { counters.served(rows: rows, endpoint: endpoint) }
        if request.method == "GET", response.status == 200, let route = APIRoute(path: path) {
            // What a client now holds: the changes to these rows have reached it.
            let ids = response.servedIds ?? route.id.flatMap(Int.init).map { [$0] } ?? []
            noteServed(route.isBulk ? route.bulkBase : route.resource, ids: ids, listed: response.servedIds != nil)
        }
        // The server's clock is the sandbox's: a client that reads the Date header (to
        // know from when a pass has seen every change) sees the clock of the rows'
        // updated_at, as it does at DrChrono.
        response.headers.append(("Date", Self.httpDate(now)))
        return response
    }

    /// `Wed, 04 Mar 2026 16:30:00 GMT`.
    static func httpDate(_ epochSeconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: epochSeconds))
    }

    private func api(_ request: SandboxRequest) async -> SandboxResponse {
        if let latency = faults.latencyMilliseconds {
            let milliseconds = latency.lowerBound == latency.upperBound ? latency.lowerBound : faultRandom.int(latency)
            try? await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
        }
        if faults.redirectRate > 0, !request.path.hasSuffix("/"), faultRandom.chance(faults.redirectRate) {
            let query = request.queryString.isEmpty ? "" : "?" + request.queryString
            var response = SandboxResponse(status: 302, headers: [("Location", baseURL(request) + request.path + "/" + query)], body: [])
            response.headers.append(("Content-Type", "text/html; charset=utf-8"))
            return response
        }
        if faults.serverErrorRate > 0, faultRandom.chance(faults.serverErrorRate) {
            let status = faultRandom.pick([500, 502, 503])
            return SandboxResponse(
                status: status, headers: [("Content-Type", "text/html")], body: Array("<h1>Server Error (\(status))</h1>".utf8))
        }

        // Who is asking.
        guard let authorization = request.header("authorization"), authorization.lowercased().hasPrefix("bearer ") else {
            return .detail(401, "Authentication credentials were not provided.")
        }
        let token = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard case .granted(let client, let scopes, let user) = oauth.check(accessToken: token, now: nowSeconds) else {
            return .detail(401, "Authentication credentials were not provided.")
        }
        var request = request
        request.user = user
        if faults.expireTokenRate > 0, faultRandom.chance(faults.expireTokenRate) {
            _ = oauth.expireAccessTokens(now: nowSeconds)
            return .detail(401, "Authentication credentials were not provided.")
        }
        if let version = request.header("x-drc-api-version"), !version.isEmpty, version.lowercased() != "v4" {
            return .detail(400, "API version \"\(version)\" is not available to this application; it is pinned to v4.")
        }

        // DrChrono's throttles.
        let template = RequestCounters.template(of: request.path)
        switch limits.admit(client: client, endpoint: request.method + " " + template, now: now) {
        case .allowed: break
        case .hourlyExceeded, .burstExceeded: return .detail(429, "Request was throttled.")
        }
        if faults.throttleRate > 0, faultRandom.chance(faults.throttleRate) {
            return .detail(429, "Request was throttled.")
        }

        let route = APIRoute(path: request.path)
        guard let route else { return .notFound }
        // Another practice group's user (or one the practice does not know) reaches nothing
        // of this practice but who they are: the one place this rule is kept.
        if practice.staffUser(request.user)?.practiceGroup != Practice.group, route.resource != "users" {
            return request.method == "GET" && route.id == nil ? page(request, rows: [], lastCursor: nil, hasMore: false) : .notFound
        }
        if let needed = route.scopes(for: request.method), needed.isDisjoint(with: scopes) {
            return .detail(403, "You do not have permission to perform this action.")
        }
        var response = route.isBulk ? bulk(route, request) : resource(route, request)
        if request.method != "GET", !route.isBulk, (200..<300).contains(response.status) {
            let made = (try? JSONValue.parse(Data(response.body)))?.objectValue?["id"] ?? .null
            writeLog.append(
                .object([
                    "at": .string(localNow.description), "user": .int(request.user),
                    "username": .string(practice.staff.first { $0.id == request.user }?.username ?? ""),
                    "method": .string(request.method), "path": .string(request.path), "id": made,
                ]))
        }
        if request.method != "GET", (200..<300).contains(response.status),
            faults.dropAfterCommitRate > 0, faultRandom.chance(faults.dropAfterCommitRate)
        {
            response.dropConnection = true
        }
        return response
    }

    /// The scheme, host and port the client reached us on, for absolute `next` URLs.
    func baseURL(_ request: SandboxRequest) -> String {
        "http://" + (request.header("host") ?? "\(configuration.host):\(configuration.port)")
    }
}

/// A path under `/api/`, resolved.
struct APIRoute {
    var resource: String
    var id: String?
    var subresource: String?
    var isBulk: Bool { resource.hasSuffix("_list") && id == nil }
    /// The base resource of a bulk list: `patients_list` → `patients`.
    var bulkBase: String { String(resource.dropLast("_list".count)) }

    init?(path: String) {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts.count <= 4, parts[0] == "api" else { return nil }
        resource = parts[1]
        id = parts.count > 2 ? parts[2] : nil
        subresource = parts.count > 3 ? parts[3] : nil
    }

    /// The OAuth scopes, any one of which grants access (from the OpenAPI file's
    /// `security` lists, which name the same set for reading and writing). A patient's
    /// record is changed only with `patients:write`, as DrChrono enforces it.
    func scopes(for method: String) -> Set<String>? {
        let base = isBulk ? bulkBase : resource
        if method != "GET", !isBulk, base == "patients" || base == "documents" { return ["patients:write"] }
        if base == "patient_payments" {
            return method == "GET" ? ["billing:patient-payment:read", "billing:patient-payment:write"] : ["billing:patient-payment:write"]
        }
        switch base {
        case "users", "insurances": return ["user:read", "user:write"]
        case "eligibility_checks": return ["calendar:read", "calendar:write", "patients:read", "patients:write"]
        case "doctors", "offices": return ["user:read", "user:write"]
        case "appointment_profiles": return ["calendar:read", "calendar:write", "settings:read", "settings:write"]
        case "patients", "documents": return isBulk ? ["patients:read"] : ["patients:read", "patients:write"]
        case "appointments": return ["calendar:read", "calendar:write", "clinical:read", "clinical:write"]
        case "clinical_notes", "clinical_note_field_types", "problems", "medications", "allergies":
            return ["clinical:read", "clinical:write"]
        case "line_items": return isBulk ? ["billing:read"] : method == "GET" ? ["billing:read", "billing:write"] : ["billing:write"]
        case "line_item_deletions": return ["billing:read"]
        case "fee_schedules", "billing_profiles": return ["billing:read", "billing:write"]
        case "claim_billing_notes": return method == "GET" ? ["billing:read", "billing:write"] : ["billing:write"]
        case "lab_orders", "lab_results", "patient_lab_results": return ["labs:read", "labs:write"]
        default: return nil
        }
    }
}
