import DrChronoAPI
import DrChronoSandbox
import Foundation
import Mirror

/// An in-process sandbox of one size, and a profile logged in to it with an empty mirror:
/// what each benchmark starts from.
struct BenchPractice {
    let sandbox: SandboxServer
    let base: URL
    let root: URL
    let profile: ProfileDirectory
    let transport: CurlTransport
    let client: DrChronoClient
    let mirror: MirrorDatabase

    /// `activity`: whether the practice changes by itself (a clinic day on the real clock).
    static func start(size: PracticeSize, activity: ActivityMode = .off) async throws -> BenchPractice {
        var configuration = SandboxConfiguration()
        configuration.size = size
        configuration.activity = activity
        let sandbox = SandboxServer(configuration: configuration)
        let base = try await sandbox.start()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-bench-\(UUID().uuidString)")
        let profile = ProfileDirectory(name: "bench", root: root)
        try profile.prepare()
        let keyFile = root.appendingPathComponent("key")
        FileManager.default.createFile(
            atPath: keyFile.path, contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }), attributes: [.posixPermissions: 0o600])
        // The sandbox's limits are off and so is the client's hourly ceiling: this measures
        // ingest speed and request counts. (At DrChrono's 500 an hour, background sync may
        // spend 425, which paces a large load over hours; see BENCHMARKS.md.)
        let settings = ProfileSettings(
            server: base.absoluteString, clientId: "sandbox-client", redirectURI: "http://127.0.0.1:9/cb",
            scopes: ProfileSettings.consoleScopes, hourlyLimit: 1_000_000)
        try settings.save(to: profile)
        let session = Profile(directory: profile, settings: settings, keySource: .keyFile(keyFile))
        let oauth = try session.oauth(clientSecret: "sandbox-secret")
        let transport = CurlTransport()
        let approval = try await transport.send(HTTPRequest(url: oauth.authorizeURL(scopes: settings.scopes, state: "bench")))
        let code = try OAuthClient.code(fromRedirect: approval.header("location") ?? "", state: "bench")
        try session.vault.save(try await oauth.exchange(code: code, now: Date()))
        return BenchPractice(
            sandbox: sandbox, base: base, root: root, profile: profile, transport: transport, client: try session.client(),
            mirror: try MirrorDatabase.open(at: profile.file("mirror.sqlite").path))
    }

    /// The requests the sandbox has answered since its counters were last cleared.
    func requests() async throws -> Int {
        try await transport.send(HTTPRequest(url: base.appendingPathComponent("_sandbox/requests"))).json?.objectValue?.int("total") ?? 0
    }

    func clearRequests() async throws {
        _ = try await transport.send(HTTPRequest(method: "DELETE", url: base.appendingPathComponent("_sandbox/requests")))
    }

    func stop() async {
        await sandbox.stop()
        try? FileManager.default.removeItem(at: root)
    }
}
