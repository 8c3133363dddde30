import ArgumentParser
import Console
import DrChronoAPI
import Foundation
import Mirror
import Practice

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in to DrChrono and keep the tokens, sealed, in a profile.",
        discussion: """
            At a desk, chronoterm opens DrChrono in your browser and waits on \
            127.0.0.1 for it to come back. Over SSH (or with --paste) it prints an \
            address to open in a browser on any machine; after you choose Authorize, \
            the browser tries to load a 127.0.0.1 page and fails — copy that page's \
            whole address from the address bar and paste it at the prompt.

            The redirect URI registered for your DrChrono API application must be \
            http://127.0.0.1:PORT/callback (PORT is --port, 8976 unless changed).

            Tokens are sealed with AES-GCM under a passphrase you choose, or under the \
            key file named by CHRONOTERM_KEY_FILE for unattended use.

            Try it on the sandbox: chronoterm sandbox, then \
            chronoterm login --server http://127.0.0.1:8765

            With --grant NAME it adds a further DrChrono login to an existing profile: \
            for a practice whose doctors' offices do not share patients, each office's \
            login sees its own side (chronoterm grants lists them). It must be of the \
            same practice group, and it shares the profile's server, application and \
            request budget. A grant DrChrono refused (dead in chronoterm grants) is signed \
            in again the same way, by the same DrChrono user.
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Option(help: "The DrChrono to sign in to: https://app.drchrono.com, or a sandbox's address.")
    var server: String = "https://app.drchrono.com"

    @Option(help: "Your DrChrono API application's client id (a sandbox's is sandbox-client).")
    var clientId: String?

    @Option(
        help: ArgumentHelp(
            "A file holding the application's client secret (else CHRONOTERM_CLIENT_SECRET, else asked for).", valueName: "path"))
    var clientSecretFile: String?

    @Flag(help: "Print an address to open anywhere and paste back where it led (the default over SSH).")
    var paste = false

    @Option(help: "The loopback port of the registered redirect URI.")
    var port: Int = 8976

    @Option(help: ArgumentHelp("Scopes to ask for, comma-separated (default: what the role needs, no more).", valueName: "scopes"))
    var scopes: String?

    @Option(
        help: ArgumentHelp(
            "Who uses this profile: front-desk (schedule first), billing (billing first) or clinician (search and notes first, read-only).",
            valueName: "role"))
    var role: String = "front-desk"

    @Option(
        help: ArgumentHelp(
            "Add this login to the existing profile as a further grant named NAME (a doctor's office, say), beside its own.",
            valueName: "name"))
    var grant: String?

    func validate() throws {
        if let grant, let problem = GrantRecord.check(name: grant) { throw ValidationError(problem) }
        guard let url = URL(string: server), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--server must be an address such as https://app.drchrono.com or http://127.0.0.1:8765.")
        }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
        guard ["front-desk", "billing", "clinician"].contains(role) else {
            throw ValidationError("--role is front-desk, billing or clinician.")
        }
    }

    var isSandbox: Bool { ["127.0.0.1", "localhost", "::1", "[::1]"].contains(URL(string: server)?.host ?? "") }

    func run() async throws {
        Logs.configure()
        if let grant { return try await addGrant(grant) }
        let directory = profileOptions.directory
        guard let clientId = clientId ?? (isSandbox ? "sandbox-client" : nil) else {
            throw ValidationError(
                "Give --client-id: the client id of your practice's DrChrono API application (in DrChrono, Account → API).")
        }
        let secret = try clientSecret(clientId: clientId)
        let keySource = try KeyPrompt.keySource(creating: true)
        let redirectURI = "http://127.0.0.1:\(port)/callback"
        let settings = ProfileSettings(
            server: server, clientId: clientId, redirectURI: redirectURI,
            scopes: scopes.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                ?? Role(rawValue: role)!.scopes(),
            role: role)
        let profile = Profile(directory: directory, settings: settings, keySource: keySource)
        let oauth = try profile.oauth(clientSecret: secret)
        let state = UUID().uuidString
        let url = oauth.authorizeURL(scopes: settings.scopes, state: state)

        let address = try await redirect(from: url)
        let code = try OAuthClient.code(fromRedirect: address, state: state)
        let tokens = try await oauth.exchange(code: code, now: Date())
        try settings.save(to: directory)
        try profile.vault.save(
            TokenSet(
                accessToken: tokens.accessToken, refreshToken: tokens.refreshToken,
                expiresAt: tokens.expiresAt, scope: tokens.scope, clientSecret: secret))
        let user = try await profile.client().currentUser()
        AccountAudit.record(.login, user: String(user.id), profile: directory, seal: AuditSeal(secret: secret))
        print("Logged in to \(server) as \(user.username) (profile '\(directory.name)'). Tokens are sealed in \(directory.url.path).")
    }

    /// Sends the person to DrChrono's authorize page `url` and answers the address it
    /// led back to: pasted (over SSH, or with --paste), or caught on 127.0.0.1.
    func redirect(from url: URL) async throws -> String {
        let address: String
        if paste || ProcessInfo.processInfo.environment["SSH_CONNECTION"] != nil {
            TTY.say(
                """
                Open this address in a browser on any machine, sign in to DrChrono and choose Authorize:

                  \(url.absoluteString)

                The browser then tries to open a 127.0.0.1 page and fails; that is expected.
                """)
            guard let pasted = TTY.ask("Paste the whole address from the browser's address bar here: "), !pasted.isEmpty else {
                throw ValidationError("Nothing was pasted; no login was saved.")
            }
            address = pasted
        } else {
            let listener = try LoopbackRedirect(port: port)
            TTY.say(
                "Opening DrChrono in your browser. If nothing opens, visit:\n\n  \(url.absoluteString)\n\nWaiting for DrChrono (Ctrl-C to stop; over SSH use --paste)…"
            )
            Browser.open(url)
            guard let arrived = await listener.waitForRedirect(timeout: 300) else {
                throw ValidationError(
                    "DrChrono did not send the browser back within 5 minutes; no login was saved. Try again, or use --paste.")
            }
            address = arrived
        }
        return address
    }

    private func clientSecret(clientId: String) throws -> String {
        if let path = clientSecretFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("Cannot read the client secret file \(path).")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let secret = ProcessInfo.processInfo.environment["CHRONOTERM_CLIENT_SECRET"], !secret.isEmpty { return secret }
        if isSandbox && clientId == "sandbox-client" { return "sandbox-secret" }
        guard TTY.isInteractive else {
            throw ValidationError("Give the client secret with --client-secret-file or CHRONOTERM_CLIENT_SECRET.")
        }
        return TTY.secret("Client secret of \(clientId): ")
    }
}

enum Browser {
    /// Asks the desktop to open `url`; says nothing if it cannot (the address is printed).
    static func open(_ url: URL) {
        for opener in ["/usr/bin/xdg-open", "/usr/bin/sensible-browser"] where FileManager.default.isExecutableFile(atPath: opener) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: opener)
            process.arguments = [url.absoluteString]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            if (try? process.run()) != nil { return }
        }
    }
}
