import Crypto
import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// The practice's people, as the office manager keeps them and as each reaches the
/// console.
@Suite("A practice's people")
struct PeopleCommandTests {
    /// An OpenSSH ed25519 public key line (a random key: only its shape matters here).
    static func publicKey(comment: String) -> String {
        func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
            let n = UInt32(bytes.count)
            return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + bytes
        }
        let blob = lengthPrefixed(Array("ssh-ed25519".utf8)) + lengthPrefixed((0..<32).map { _ in UInt8.random(in: 0...255) })
        return "ssh-ed25519 \(Data(blob).base64EncodedString()) \(comment)"
    }

    func keyFile(_ home: String, _ name: String, _ text: String) throws -> String {
        let path = home + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("people add writes the person and a forced-command line per key, keeping the account's own lines; remove takes the lines away")
    func addListRemove() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let home = env["XDG_CONFIG_HOME"]!
            let authorized = home + "/ssh/authorized_keys"
            try FileManager.default.createDirectory(atPath: home + "/ssh", withIntermediateDirectories: true)
            try "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwnOwnOwnOwnOwnOwnOwnOwnOwnOwnOwnOwnOwnOwnO admin@host\n".write(
                toFile: authorized, atomically: true, encoding: .utf8)
            let maria = try keyFile(home, "maria.pub", Self.publicKey(comment: "maria@laptop"))
            let added = try await Chronoterm.run(
                ["people", "add", "maria", "--role", "front-desk", "--ssh-key", maria, "--authorized-keys", authorized], environment: env)
            #expect(added.status == 0, "\(added.errors)")
            #expect(added.output.contains("maria: front-desk, 1 SSH key"))
            // The tests run the build folder's binary: the keys would break with the next build.
            #expect(added.errors.contains("a build folder's copy") && added.errors.contains("make install"), "\(added.errors)")
            var lines = try String(contentsOfFile: authorized, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.first?.hasSuffix("admin@host") == true, "the account's own key is kept")
            let forced = try #require(lines.first { $0.hasPrefix("command=") })
            #expect(forced.contains(" console --profile desk --person maria --key SHA256:"))
            #expect(forced.contains("\",restrict,pty ssh-ed25519 "))
            #expect(forced.contains("CHRONOTERM_KEY_FILE="), "a console over SSH opens the vault with the service account's key file")

            // Junk, a private key or a key that is someone else's: refused, nothing changed.
            let junk = try keyFile(home, "junk.pub", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n")
            let refused = try await Chronoterm.run(
                ["people", "add", "bob", "--role", "billing", "--ssh-key", junk, "--authorized-keys", authorized], environment: env)
            #expect(refused.status != 0 && refused.errors.contains("is not an OpenSSH public key"), "\(refused.errors)")
            let stolen = try await Chronoterm.run(
                ["people", "add", "bob", "--role", "billing", "--ssh-key", maria, "--authorized-keys", authorized], environment: env)
            #expect(stolen.status != 0 && stolen.errors.contains("already maria's"), "\(stolen.errors)")
            let badName = try await Chronoterm.run(["people", "add", "Bob Smith", "--role", "billing"], environment: env)
            #expect(badName.status != 0 && badName.errors.contains("cannot be a name here"), "\(badName.errors)")

            let listed = try await Chronoterm.run(["people", "list"], environment: env)
            #expect(listed.output.contains("maria") && listed.output.contains("front-desk") && !listed.output.contains("bob"))

            let removed = try await Chronoterm.run(["people", "remove", "maria", "--authorized-keys", authorized], environment: env)
            #expect(removed.status == 0, "\(removed.errors)")
            lines = try String(contentsOfFile: authorized, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines == ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwnOwnOwnOwnOwnOwnOwnOwnOwnOwnOwnOwnOwnOwnO admin@host"])
        }
    }

    @Test("a name not among the practice's people gets no console")
    func strangerRefused() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let said = try await Chronoterm.run(["console", "--person", "mallory"], environment: env)
            #expect(said.status != 0)
            #expect(said.errors.contains("'mallory' is not one of this practice's people"), "\(said.errors)")
        }
    }

    @Test("a person's console opens in their role and names them in the trail; removed, it closes within seconds")
    func personConsole() async throws {
        var env: [String: String] = [:]
        var started: Tmux?
        try await withSandbox { sandbox in
            env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await Chronoterm.run(["sync", "--once"], environment: env)
            let home = env["XDG_CONFIG_HOME"]!
            let key = try keyFile(home, "carol.pub", Self.publicKey(comment: "carol"))
            let authorized = home + "/authorized_keys"
            _ = try await Chronoterm.run(
                ["people", "add", "carol", "--role", "clinician", "--ssh-key", key, "--authorized-keys", authorized], environment: env)
            let fingerprint = try #require(
                try String(contentsOfFile: authorized, encoding: .utf8).range(of: #"SHA256:[A-Za-z0-9+/]+"#, options: .regularExpression)
                    .map { String(try String(contentsOfFile: authorized, encoding: .utf8)[$0]) })
            var sshEnv = env
            sshEnv["SSH_CONNECTION"] = "10.0.0.5 50000 10.0.0.1 22"
            started = try await Tmux.start(
                ["console", "--person", "carol", "--key", fingerprint, "--date", "2026-03-04"], environment: sshEnv)
            let screen = try await started!.waitForSynced()
            #expect(screen.contains("carol@desk"), "the status bar names the person:\n\(screen)")
            #expect(screen.contains(" Search: "), "a clinician opens on patient search:\n\(screen)")

            // Removed from the practice: the open console closes by itself.
            _ = try await Chronoterm.run(["people", "remove", "carol", "--authorized-keys", authorized], environment: env)
            let console = started!
            _ = try await console.waitUntil(timeout: 15, "the console to close") { _ in (try? console.processes().isEmpty) ?? true }
            let trail = try await Chronoterm.run(["audit", "--csv"], environment: env)
            let carol = trail.output.split(separator: "\n").filter { $0.contains(",carol,") }
            #expect(carol.contains { $0.contains("session.start") && $0.contains("key \(fingerprint) from 10.0.0.5") }, "\(trail.output)")
            #expect(carol.contains { $0.contains("session.revoked") }, "\(trail.output)")
        }
        started?.kill()
    }

    @Test("a clinician with their doctor opens on that doctor's day, first column; booking is refused before anything is queued")
    func clinicianOwnDay() async throws {
        var started: Tmux?
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await Chronoterm.run(["sync", "--once"], environment: env)
            let doctor = try await sandbox.adminJSON("records/doctors/103")
            let lastName = try #require(doctor.string("last_name"))
            let home = env["XDG_CONFIG_HOME"]!
            // A doctor named as the practice says them, not by DrChrono's id; a name no
            // doctor has is refused with the practice's doctors listed.
            let unknown = try await Chronoterm.run(
                ["people", "add", "dr-own", "--role", "clinician", "--doctor", "nobody", "--authorized-keys", home + "/authorized_keys"],
                environment: env)
            #expect(unknown.status != 0 && unknown.errors.contains("103 Dr. "), "\(unknown.errors)")
            let added = try await Chronoterm.run(
                [
                    "people", "add", "dr-own", "--role", "clinician", "--doctor", lastName.lowercased(), "--authorized-keys",
                    home + "/authorized_keys",
                ],
                environment: env)
            #expect(added.status == 0 && added.output.contains("doctors 103"), "\(added.output) \(added.errors)")
            started = try await Tmux.start(["console", "--person", "dr-own", "--date", "2026-03-04"], environment: env)
            let screen = try await started!.waitForSynced()
            let header = try #require(screen.split(separator: "\n").first { $0.contains("Dr. ") }, "doctor columns:\n\(screen)")
            #expect(header.trimmingCharacters(in: .whitespaces).hasPrefix("Dr. \(lastName)"), "their doctor first: \(header)")
            try await started!.press("b")
            _ = try await started!.waitFor("dr-own (clinician) can look but not book or bill")
            let queued = try await Chronoterm.run(["queue"], environment: env)
            #expect(queued.output.contains("Nothing is queued"), "\(queued.output)")
        }
        started?.kill()
    }

    @Test("a person's own keys and colours: their bindings on their console, a theme they choose with :theme kept for next time")
    func ownKeysAndTheme() async throws {
        var started: Tmux?
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await Chronoterm.run(["sync", "--once"], environment: env)
            let home = env["XDG_CONFIG_HOME"]!
            let keys = try keyFile(home, "ana-keys.toml", "[schedule]\ncheck-in = [\"i\"]\n")
            let bad = try keyFile(home, "bad-keys.toml", "[schedule]\nteleport = [\"t\"]\n")
            let refused = try await Chronoterm.run(
                ["people", "add", "ana", "--role", "front-desk", "--keys", bad, "--authorized-keys", home + "/authorized_keys"],
                environment: env)
            #expect(refused.status != 0 && refused.errors.contains("teleport"), "\(refused.errors)")
            let noTheme = try await Chronoterm.run(
                ["people", "add", "ana", "--role", "front-desk", "--theme", "nosuch", "--authorized-keys", home + "/authorized_keys"],
                environment: env)
            #expect(noTheme.status != 0 && noTheme.errors.contains("--theme nosuch"), "\(noTheme.errors)")
            let added = try await Chronoterm.run(
                ["people", "add", "ana", "--role", "front-desk", "--keys", keys, "--authorized-keys", home + "/authorized_keys"],
                environment: env)
            #expect(added.status == 0, "\(added.errors)")

            started = try await Tmux.start(["console", "--person", "ana", "--date", "2026-03-04"], environment: env)
            let console = started!
            let screen = try await console.waitForSynced()
            #expect(screen.contains("i check in") && !screen.contains("c check in"), "her own binding in the key line:\n\(screen)")
            try await console.press(":")
            try await console.type("theme light")
            try await console.press("Enter")
            let people = URL(fileURLWithPath: home).appendingPathComponent("chronoterm/profiles/desk/people.json")
            _ = try await eventually("her theme kept") {
                (try? String(contentsOf: people, encoding: .utf8)) ?? ""
            } until: {
                $0.contains("\"theme\" : \"light\"")
            }
        }
        started?.kill()
    }

    /// `chronoterm people link NAME`, the person signing in as `user` (nil: the
    /// practice's own login); answers the status and what it said.
    func link(_ name: String, as user: String?, _ sandbox: RunningSandbox, _ env: [String: String]) async throws -> (Int32, String) {
        let input = Pipe()
        let (process, output, errors) = try Chronoterm.start(["people", "link", name], environment: env, input: input)
        let said = await Chronoterm.read(errors, until: "Paste the whole address")
        let link = try #require(
            said.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.contains("/o/authorize/") })
        // The sandbox's stand-in for the person signing in to DrChrono in their own browser.
        let approval = try await sandbox.http.send(HTTPRequest(url: URL(string: link + (user.map { "&sandbox_user=\($0)" } ?? ""))!))
        input.fileHandleForWriting.write(Data((try #require(approval.header("location")) + "\n").utf8))
        let out = await Chronoterm.readToEnd(output)
        await Chronoterm.waitForExit(process)
        let complaints = await Chronoterm.readToEnd(errors)
        return (process.terminationStatus, out + complaints)
    }

    @Test("a linked person's writes go to DrChrono with their own login (its records name them); the practice's own login is refused")
    func linkedWrites() async throws {
        var started: Tmux?
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await Chronoterm.run(["sync", "--once"], environment: env)
            let home = env["XDG_CONFIG_HOME"]!
            _ = try await Chronoterm.run(
                ["people", "add", "cy", "--role", "billing", "--authorized-keys", home + "/authorized_keys"], environment: env)

            let same = try await link("cy", as: nil, sandbox, env)
            #expect(same.0 != 0 && same.1.contains("the practice's own DrChrono login"), "\(same.1)")
            let linked = try await link("cy", as: "billing2", sandbox, env)
            #expect(linked.0 == 0 && linked.1.contains("cy is linked to DrChrono user billing2"), "\(linked.1)")
            let listed = try await Chronoterm.run(["people", "list"], environment: env)
            #expect(listed.output.contains("billing2"), "\(listed.output)")

            // Cy bills the day's first visit from her console.
            started = try await Tmux.start(["console", "--person", "cy", "--date", "2026-03-04"], environment: env)
            let console = started!
            _ = try await console.waitForSynced()
            try await console.addLineItem()
            _ = try await console.waitFor("$100.00")
            _ = try await console.waitUntil(timeout: 60, "the queue to empty") { $0.contains("nothing queued") }
            let writes = (try await sandbox.adminJSON("writes")["writes"]?.arrayValue ?? []).compactMap(\.objectValue)
            let item = try #require(writes.last { $0.string("path") == "/api/line_items" }, "\(writes)")
            #expect(item.string("username") == "billing2", "DrChrono's record names her login: \(item)")
            #expect(writes.filter { $0.string("path") == "/api/line_items" }.count == 1, "sent once")
        }
        started?.kill()
    }
}
