import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// `chronoterm login`, `whoami`, `api` and `logout`, run as a person runs them,
/// against a sandbox on loopback.
@Suite("Logging in and talking to DrChrono from the command line")
struct AccountCommandTests {
    /// A private config home and key file, as a headless install would have.
    func environment() throws -> [String: String] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let key = home.appendingPathComponent("key")
        FileManager.default.createFile(
            atPath: key.path, contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }), attributes: [.posixPermissions: 0o600])
        return ["XDG_CONFIG_HOME": home.path, "CHRONOTERM_KEY_FILE": key.path, "CHRONOTERM_PROFILE": "desk"]
    }

    /// `chronoterm login --paste`: reads the printed address, "opens" it, pastes where it led.
    func logIn(_ sandbox: RunningSandbox, _ environment: [String: String]) async throws -> String {
        let input = Pipe()
        let (process, output, errors) = try Chronoterm.start(
            ["login", "--server", sandbox.base.absoluteString, "--paste"], environment: environment, input: input)
        let said = await Chronoterm.read(errors, until: "Paste the whole address")
        let link = try #require(
            said.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.contains("/o/authorize/") })
        #expect(
            link.contains(
                "scope=user:read%20calendar:read%20calendar:write%20patients:read%20patients:write%20clinical:read%20labs:read%20billing:read%20billing:write%20billing:patient-payment:read%20billing:patient-payment:write"
            ),
            "only the scopes the console needs")
        let approval = try await sandbox.http.send(HTTPRequest(url: URL(string: link)!))
        input.fileHandleForWriting.write(Data((try #require(approval.header("location")) + "\n").utf8))
        let rest = await Chronoterm.readToEnd(output)
        await Chronoterm.waitForExit(process)
        let complaints = await Chronoterm.readToEnd(errors)
        #expect(process.terminationStatus == 0, "\(complaints)")
        return rest
    }

    @Test("login over SSH by pasting, then whoami, api, api --paginate and logout")
    func wholeSession() async throws {
        try await withSandbox { sandbox in
            let env = try environment()
            let said = try await logIn(sandbox, env)
            #expect(said.contains("Logged in to \(sandbox.base.absoluteString) as frontdesk (profile 'desk')"))

            let whoami = try await Chronoterm.run(["whoami"], environment: env)
            #expect(whoami.status == 0)
            #expect(whoami.output.contains("frontdesk (user 1, doctor 101), staff"))
            #expect(whoami.output.contains("of 500 left this hour"))

            let doctors = try await Chronoterm.run(["api", "GET", "/api/doctors"], environment: env)
            let body = try #require(try JSONValue.parse(Data(doctors.output.utf8)).objectValue)
            #expect(body["results"]?.arrayValue?.count == 3)

            let all = try await Chronoterm.run(["api", "GET", "/api/patients", "-f", "page_size=60", "--paginate"], environment: env)
            #expect(try JSONValue.parse(Data(all.output.utf8)).arrayValue?.count == 200)
            #expect(all.errors.contains("… 200 rows"), "progress on long work")

            let patched = try await Chronoterm.run(
                ["api", "PATCH", "/api/patients/10002", "-f", "cell_phone=(555) 010-7777"], environment: env)
            #expect(patched.status == 0)
            #expect(try await sandbox.adminJSON("records/patients/10002").string("cell_phone") == "(555) 010-7777")

            let notJSON = try await Chronoterm.run(["api", "PATCH", "/api/patients/10002", "-F", "cell_phone=555 010"], environment: env)
            #expect(notJSON.status != 0)
            #expect(notJSON.errors.contains("is not JSON") && notJSON.errors.contains("-f cell_phone=555 010"), "\(notJSON.errors)")
            #expect(try await sandbox.adminJSON("records/patients/10002").string("cell_phone") == "(555) 010-7777", "nothing was sent")

            let missing = try await Chronoterm.run(["api", "GET", "/api/patients/424242"], environment: env)
            #expect(missing.status != 0)
            #expect(missing.errors.contains("DrChrono has nothing at /api/patients/424242"))

            let out = try await Chronoterm.run(["logout"], environment: env)
            #expect(out.output.contains("Logged out of profile 'desk'"))
            let after = try await Chronoterm.run(["whoami"], environment: env)
            #expect(after.status != 0)
            #expect(after.errors.contains("chronoterm login"))
        }
    }

    @Test("no secret or token ever reaches the terminal or the profile's plain files")
    func secretsStayHidden() async throws {
        try await withSandbox { sandbox in
            let env = try environment()
            let said = try await logIn(sandbox, env)
            let profile = URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!).appendingPathComponent("chronoterm/profiles/desk")
            let vault = TokenVault(
                directory: ProfileDirectory(name: "desk", root: URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!)),
                keySource: .keyFile(URL(fileURLWithPath: env["CHRONOTERM_KEY_FILE"]!)))
            let tokens = try vault.load()
            let whoami = try await Chronoterm.run(["whoami"], environment: env)
            for text in [said, whoami.output, whoami.errors] {
                #expect(!text.contains(tokens.accessToken) && !text.contains(tokens.refreshToken) && !text.contains("sandbox-secret"))
            }
            for file in try FileManager.default.contentsOfDirectory(atPath: profile.path) {
                let contents = String(
                    decoding: FileManager.default.contents(atPath: profile.appendingPathComponent(file).path) ?? Data(), as: UTF8.self)
                #expect(
                    !contents.contains(tokens.accessToken) && !contents.contains(tokens.refreshToken)
                        && !contents.contains("sandbox-secret"), "\(file)")
            }
        }
    }

    @Test("without a key file or a terminal, login says how to run headless")
    func headlessNeedsKeyFile() async throws {
        var env = try environment()
        env.removeValue(forKey: "CHRONOTERM_KEY_FILE")
        let result = try await Chronoterm.run(["login", "--server", "http://127.0.0.1:9", "--paste"], environment: env)
        #expect(result.status != 0)
        #expect(result.errors.contains("CHRONOTERM_KEY_FILE"))
        let real = try await Chronoterm.run(["login", "--paste"], environment: try environment())
        #expect(real.errors.contains("Give --client-id"), "a real DrChrono needs the practice's own API application")
    }
}

@Suite("Several chronoterm processes on one profile")
struct ConcurrentProcessTests {
    @Test("three processes finding the token expired at once refresh it once between them")
    func oneRefreshAcrossProcesses() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await sandbox.admin("POST", "tokens/expire")
            let tokenPostsBefore = try await sandbox.count("POST /o/token")
            async let a = Chronoterm.run(["api", "GET", "/api/doctors"], environment: env)
            async let b = Chronoterm.run(["api", "GET", "/api/offices"], environment: env)
            async let c = Chronoterm.run(["api", "GET", "/api/appointment_profiles"], environment: env)
            let results = try await [a, b, c]
            #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.errors))")
            #expect(try await sandbox.count("POST /o/token") == tokenPostsBefore + 1, "one refresh, not three")
            let budget = try await Chronoterm.run(["whoami"], environment: env)
            #expect(budget.output.contains("requests: "))
            #expect(try await sandbox.adminJSON("requests")["by_status"]?.objectValue?["400"] == nil, "no refresh token was refused")
        }
    }
}
