import ArgumentParser
import Console
import DrChronoAPI
import DrChronoSandbox
import Foundation
import Mirror
import Practice
import Sync

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Try the console on an invented practice — no DrChrono account needed.",
        discussion: """
            Starts chronoterm's DrChrono sandbox with a synthetic practice inside this \
            process (on a free 127.0.0.1 port), logs in to it, loads it, and opens the \
            console. Everything is thrown away when you quit. Press ? in any pane for \
            its keys.
            """)

    @Option(help: "Practice size: small, practice (the default) or large.")
    var size: PracticeSize = .practice

    @Option(help: "Seed for the invented practice.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Who to try it as: front-desk, billing or clinician.", valueName: "role"))
    var role: String = Role.frontDesk.rawValue

    @Option(help: ArgumentHelp("Colour theme: dark, light, high-contrast or monochrome.", valueName: "name"))
    var theme: String?

    @Option(help: ArgumentHelp("Lock the screen after this many idle minutes (the passphrase is 'demo').", valueName: "minutes"))
    var lockAfterMinutes: Double = 5

    @Option(
        help: ArgumentHelp(
            "day: the practice's people work through the day (visits check in and finish, bookings arrive) and the console keeps up; off: nothing changes by itself.",
            valueName: "day|off"))
    var activity: ActivityMode = .day

    func validate() throws {
        guard lockAfterMinutes > 0 else { throw ValidationError("--lock-after-minutes must be more than 0.") }
        guard Role(rawValue: role) != nil else { throw ValidationError("--role is front-desk, billing or clinician.") }
    }

    func run() async throws {
        try TTY.checkCanShowConsole("The demo opens the console, which")
        umask(0o077)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        printError("Inventing \(size == .practice ? "a practice" : "a \(size.rawValue) practice") (seed \(seed))…")
        var configuration = SandboxConfiguration()
        configuration.port = 0
        configuration.seed = seed
        configuration.size = size
        configuration.activity = activity
        let server = SandboxServer(configuration: configuration)
        let (addresses, announce) = AsyncStream.makeStream(of: URL.self)
        let serving = Task { try await server.run { url in announce.yield(url) } }
        defer { serving.cancel() }
        var iterator = addresses.makeAsyncIterator()
        guard let url = await iterator.next() else { throw ValidationError("The demo practice could not start.") }

        let profile = try await Self.logIn(to: url, root: root, role: role)
        let mirror = try MirrorDatabase.open(in: profile.directory)
        let client = try profile.client()
        let engine = SyncEngine(mirror: mirror, client: client, timeZone: configuration.timeZone)
        let report = ProgressReport(interactive: true)
        _ = try await engine.catchUp { progress in report.show(progress) }
        report.finish("Loaded the demo practice. Opening the console — press ? for help, q to quit.")
        // The in-process sandbox logs its own shutdown; that belongs in a file, not on
        // the terminal the person returns to.
        let quiet = StandardErrorRedirect(to: root.appendingPathComponent("sandbox.log").path)
        defer { quiet.restore() }
        try await ConsoleRunner(profile: profile, themeName: theme, label: "demo", lockAfterMinutes: lockAfterMinutes).run()
        serving.cancel()
        _ = await serving.result
    }

    /// Logs in the way a person would, minus the browser: the sandbox approves at once.
    static func logIn(to url: URL, root: URL, role: String) async throws -> Profile {
        let directory = ProfileDirectory(name: "demo", root: root)
        var settings = ProfileSettings(
            server: url.absoluteString, clientId: "sandbox-client", redirectURI: "http://127.0.0.1:8976/callback",
            scopes: Role(rawValue: role)!.scopes(), role: role)
        // The demo's own documents folder and an inbox with a scan in it, to try saving and attaching.
        let documents = root.appendingPathComponent("documents")
        let inbox = root.appendingPathComponent("inbox")
        for folder in [documents, inbox] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let scan = Data(SandboxPDF.page(["Insurance card (front)", "Member ID 000-DEMO"]))
        FileManager.default.createFile(atPath: inbox.appendingPathComponent("insurance-card.pdf").path, contents: scan)
        (settings.documentsFolder, settings.inboxFolder) = (documents.path, inbox.path)
        try settings.save(to: directory)
        let profile = Profile(directory: directory, settings: settings, keySource: .passphrase(demoPassphrase))
        let oauth = try profile.oauth(clientSecret: "sandbox-secret")
        let state = UUID().uuidString
        // Signed in as one of the invented practice's staff of that role, so the status
        // bar names a biller or a clinician, not the front desk.
        var authorize = URLComponents(url: oauth.authorizeURL(scopes: settings.scopes, state: state), resolvingAgainstBaseURL: false)
        let user = ["billing": "billing1", "clinician": "clinician1"][role] ?? "frontdesk"
        let asked = authorize?.queryItems ?? []
        authorize?.queryItems = asked + [URLQueryItem(name: "sandbox_user", value: user)]
        guard let approve = authorize?.url else { throw ValidationError("The demo practice's sign-in address is not a URL.") }
        let approval = try await CurlTransport().send(HTTPRequest(url: approve))
        guard let location = approval.header("location") else { throw ValidationError("The demo practice did not approve the login.") }
        let tokens = try await oauth.exchange(code: try OAuthClient.code(fromRedirect: location, state: state), now: Date())
        try profile.vault.save(
            TokenSet(
                accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt,
                scope: tokens.scope, clientSecret: "sandbox-secret"))
        return profile
    }

    /// The demo profile's passphrase (it unlocks a locked demo screen).
    static let demoPassphrase = "demo"
}
