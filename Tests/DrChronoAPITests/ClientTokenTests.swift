import Foundation
import SandboxHarness
import Testing

@testable import DrChronoAPI

@Suite("The client's tokens: 48-hour expiry, rotation, one refresh across processes")
struct ClientTokenTests {
    @Test("a token expires after 48 sandbox hours and is refreshed without the caller noticing")
    func refreshedUnnoticed() async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            let before = try logged.vault.load()
            #expect(try await logged.client.currentUser().doctor == 101)
            try await sandbox.advanceClock(seconds: 48 * 3600 + 60)
            // The client's own clock has not moved, so it learns of the expiry from a 401.
            let doctors = try await logged.client.json(.get("/api/doctors"))
            #expect(doctors.objectValue?["results"]?.arrayValue?.count == 3)
            let after = try logged.vault.load()
            #expect(after.refreshToken != before.refreshToken, "the rotated refresh token was stored")
            #expect(try await sandbox.count("POST /o/token") == 2, "one exchange, one refresh")
        }
    }

    @Test("ahead of expiry by its own clock, the client refreshes before DrChrono refuses")
    func refreshedAhead() async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox, time: SandboxTime(sandbox))
            _ = try await logged.client.json(.get("/api/offices"))
            try await sandbox.advanceClock(seconds: 48 * 3600 - 120)
            _ = try await logged.client.json(.get("/api/offices"))
            #expect(try await sandbox.count("POST /o/token") == 2)
            #expect(try await sandbox.adminJSON("requests")["by_status"]?.objectValue?["401"] == nil, "no request was refused")
        }
    }

    @Test("two consoles on one profile refreshing at once end with one working grant")
    func concurrentRefresh() async throws {
        try await withSandbox { sandbox in
            let first = try await LoggedInClient.make(sandbox)
            let root = first.profile.url.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let second = try await LoggedInClient.make(sandbox, root: root, logIn: false)
            _ = try await first.client.json(.get("/api/doctors"))
            _ = try await second.client.json(.get("/api/doctors"))
            _ = try await sandbox.admin("POST", "tokens/expire")
            async let a = first.client.json(.get("/api/offices"))
            async let b = second.client.json(.get("/api/appointment_profiles"))
            _ = try await (a, b)
            #expect(try await sandbox.count("POST /o/token") == 2, "one exchange and a single refresh between them")
            // Both keep working on the one grant left.
            _ = try await first.client.json(.get("/api/doctors"))
            _ = try await second.client.json(.get("/api/doctors"))
            #expect(try await sandbox.adminJSON("requests")["by_status"]?.objectValue?.int("400") == nil, "no refresh token was refused")
        }
    }

    @Test("a revoked grant says to run chronoterm login, after one try")
    func revoked() async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            _ = try await sandbox.admin("POST", "tokens/revoke")
            await #expect(throws: APIError.self) { try await logged.client.json(.get("/api/doctors")) }
            do {
                _ = try await logged.client.json(.get("/api/doctors"))
            } catch {
                #expect("\(error)".contains("chronoterm login"))
            }
            #expect(try await sandbox.count("POST /o/token") == 3, "the exchange, then one refresh attempt per call — no loop")
        }
    }

    @Test("the vault is sealed: 0600 in a 0700 directory, no token in the clear, the wrong key refused")
    func vault() async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            let tokens = try logged.vault.load()
            let sealed = try #require(logged.profile.read("tokens.vault"))
            #expect(!String(decoding: sealed, as: UTF8.self).contains(tokens.accessToken))
            #expect(!String(decoding: sealed, as: UTF8.self).contains(tokens.clientSecret))
            let attributes = try FileManager.default.attributesOfItem(atPath: logged.profile.file("tokens.vault").path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let directory = try FileManager.default.attributesOfItem(atPath: logged.profile.url.path)
            #expect((directory[.posixPermissions] as? Int) == 0o700)
            #expect(!tokens.description.contains(tokens.accessToken), "tokens never print themselves")

            let otherKey = FileManager.default.temporaryDirectory.appendingPathComponent("other-\(UUID().uuidString).key")
            try Data(repeating: 7, count: 32).write(to: otherKey)
            chmod(otherKey.path, 0o600)  // private, so it is refused for being the wrong key
            #expect(throws: VaultError.wrongKey) { try TokenVault(directory: logged.profile, keySource: .keyFile(otherKey)).load() }
            #expect(throws: VaultError.self) { try TokenVault(directory: logged.profile, keySource: .passphrase("guess")).load() }

            chmod(logged.profile.url.path, 0o755)
            #expect(throws: ProfileError.self) { try logged.profile.checkPermissions() }
        }
    }

    @Test("a passphrase vault opens with the passphrase only")
    func passphraseVault() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-pass-\(UUID().uuidString)")
        let profile = ProfileDirectory(name: "desk", root: root)
        var vault = TokenVault(directory: profile, keySource: .passphrase("correct horse battery staple"))
        vault.cost = TokenVault.ScryptCost(logN: 10, r: 8, p: 1)  // quick for tests; real vaults use 2^15
        let tokens = TokenSet(
            accessToken: "a", refreshToken: "r", expiresAt: Date(timeIntervalSince1970: 0), scope: "calendar:read", clientSecret: "s")
        try vault.save(tokens)
        #expect(try vault.load() == tokens)
        #expect(throws: VaultError.wrongKey) {
            try TokenVault(directory: profile, keySource: .passphrase("Correct horse battery staple")).load()
        }
        #expect(TokenVault.keyBytes(Data(String(repeating: "ab", count: 32).utf8))?.count == 32)
        #expect(TokenVault.keyBytes(Data("too short".utf8)) == nil)
    }
}

@Suite("Logging in: from a desk and over SSH")
struct LoginFlowTests {
    @Test("from a desk: the loopback listener receives DrChrono's redirect with the code")
    func loopback() async throws {
        try await withSandbox { sandbox in
            let listener = try LoopbackRedirect()
            let oauth = OAuthClient(
                server: DrChronoServer(baseURL: sandbox.base),
                application: OAuthApplication(clientId: "sandbox-client", clientSecret: "sandbox-secret", redirectURI: listener.redirectURI)
            )
            let url = oauth.authorizeURL(scopes: ["calendar:read"], state: "s-1")
            #expect(url.absoluteString.contains("scope=calendar:read"))
            async let arrived = listener.waitForRedirect(timeout: 10)
            // The browser: follows DrChrono's redirect to the listener.
            let approval = try await sandbox.http.send(HTTPRequest(url: url))
            let page = try await CurlTransport().send(HTTPRequest(url: URL(string: try #require(approval.header("location")))!))
            #expect(String(decoding: page.body, as: UTF8.self).contains("You can close this tab"))
            let address = try #require(await arrived)
            let tokens = try await oauth.exchange(code: try OAuthClient.code(fromRedirect: address, state: "s-1"), now: Date())
            #expect(tokens.scope == "calendar:read")
        }
    }

    @Test("over SSH: the pasted address gives up its code, and a wrong one says what to paste")
    func pasted() throws {
        #expect(try OAuthClient.code(fromRedirect: "  http://127.0.0.1:8976/callback?code=abc123&state=s-2\n", state: "s-2") == "abc123")
        #expect(throws: LoginError.stateMismatch) {
            try OAuthClient.code(fromRedirect: "http://127.0.0.1/cb?code=abc&state=other", state: "s-2")
        }
        #expect(throws: LoginError.denied) {
            try OAuthClient.code(fromRedirect: "http://127.0.0.1/cb?error=access_denied&state=s-2", state: "s-2")
        }
        #expect(throws: LoginError.notARedirect) { try OAuthClient.code(fromRedirect: "abc123", state: "s-2") }
        #expect(LoginError.notARedirect.description.contains("address bar"))
    }
}

@Suite("Paths in logs")
struct PathTemplateTests {
    @Test(
        "ids are replaced; long resource names are not taken for ids",
        arguments: [
            ("/api/patients/10017", "/api/patients/{id}"), ("/api/clinical_note_field_types", "/api/clinical_note_field_types"),
            ("/api/appointment_profiles?page=2", "/api/appointment_profiles"),
            ("/api/documents/6f1c2b1e-8a7d-4c5e-9b0a-123456789abc", "/api/documents/{id}"),
        ])
    func template(path: String, expected: String) {
        #expect(PathTemplate.of(path) == expected)
    }
}
