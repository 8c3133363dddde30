import DrChronoAPI
import Foundation

/// A DrChrono client logged in to a sandbox, the way `chronoterm login` leaves one: a
/// profile directory in a temporary folder, tokens sealed with a key file, a shared
/// request budget file.
public struct LoggedInClient: Sendable {
    public let client: DrChronoClient
    public let session: TokenSession
    public let budget: RequestBudget
    public let profile: ProfileDirectory
    public let vault: TokenVault
    public let oauth: OAuthClient

    public static let redirectURI = "http://127.0.0.1:9/callback"
    /// What `chronoterm login` asks for.
    public static let everyScope = [
        "user:read", "calendar:read", "calendar:write", "patients:read", "patients:write",
        "clinical:read", "labs:read", "billing:read", "billing:write", "billing:patient-payment:read", "billing:patient-payment:write",
    ]

    /// Logs in to `sandbox` with `scopes`, in a new profile under `root` (a fresh
    /// temporary folder when nil); clients made with the same `root` share a profile.
    /// `user`: the sandbox's DrChrono user who signs in (front desk when nil).
    public static func make(
        _ sandbox: RunningSandbox, root: URL? = nil, time: (any TimeSource)? = nil,
        policy: BudgetPolicy = BudgetPolicy(), apiVersion: String = "v4",
        transport: (any HTTPTransport)? = nil,
        scopes: [String] = LoggedInClient.everyScope,
        logIn: Bool = true, user: String? = nil
    ) async throws -> LoggedInClient {
        let root = root ?? FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-test-\(UUID().uuidString)")
        let profile = ProfileDirectory(name: "test", root: root)
        try profile.prepare()
        let keyFile = root.appendingPathComponent("vault.key")
        if !FileManager.default.fileExists(atPath: keyFile.path) {
            FileManager.default.createFile(
                atPath: keyFile.path, contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }),
                attributes: [.posixPermissions: 0o600])
        }
        let vault = TokenVault(directory: profile, keySource: .keyFile(keyFile))
        let server = DrChronoServer(baseURL: sandbox.base)
        let oauth = OAuthClient(
            server: server,
            application: OAuthApplication(clientId: "sandbox-client", clientSecret: "sandbox-secret", redirectURI: redirectURI))
        let time = time ?? SystemTime()
        if logIn {
            let state = UUID().uuidString
            var asked = URLComponents(url: oauth.authorizeURL(scopes: scopes, state: state), resolvingAgainstBaseURL: false)!
            if let user { asked.queryItems = (asked.queryItems ?? []) + [URLQueryItem(name: "sandbox_user", value: user)] }
            let approval = try await sandbox.http.send(HTTPRequest(url: asked.url!))
            let code = try OAuthClient.code(fromRedirect: try unwrap(approval.header("location"), "no redirect"), state: state)
            try vault.save(try await oauth.exchange(code: code, now: await time.now()))
        }
        let session = TokenSession(vault: vault, oauth: oauth, time: time)
        let budget = RequestBudget(policy: policy, file: profile.file("budget.json"), time: time)
        let client = DrChronoClient(
            server: server, tokens: session, budget: budget, transport: transport ?? CurlTransport(),
            time: time, apiVersion: apiVersion)
        return LoggedInClient(client: client, session: session, budget: budget, profile: profile, vault: vault, oauth: oauth)
    }
}

extension LoggedInClient {
    /// A further DrChrono login of the same profile, signed in as the sandbox's `user` and
    /// kept under `grants/NAME` — what `chronoterm login --grant NAME` leaves — counted
    /// against the profile's one request budget.
    public func grant(_ name: String, user: String, sandbox: RunningSandbox, time: (any TimeSource)? = nil) async throws -> DrChronoClient {
        let place = profile.grant(name)
        try place.prepare()
        let vault = TokenVault(directory: place, keySource: self.vault.keySource)
        let time = time ?? SystemTime()
        let state = UUID().uuidString
        var asked = URLComponents(url: oauth.authorizeURL(scopes: LoggedInClient.everyScope, state: state), resolvingAgainstBaseURL: false)!
        asked.queryItems = (asked.queryItems ?? []) + [URLQueryItem(name: "sandbox_user", value: user)]
        let approval = try await sandbox.http.send(HTTPRequest(url: asked.url!))
        let code = try OAuthClient.code(fromRedirect: try unwrap(approval.header("location"), "no redirect"), state: state)
        try vault.save(try await oauth.exchange(code: code, now: await time.now()))
        return DrChronoClient(
            server: client.server, tokens: TokenSession(vault: vault, oauth: oauth, time: time), budget: budget, transport: CurlTransport(),
            time: time, apiVersion: client.apiVersion)
    }
}
