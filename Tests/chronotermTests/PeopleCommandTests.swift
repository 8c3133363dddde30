import Crypto
import DrChronoAPI
import Foundation
import SandboxTestSupport
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
            _ = try await Chronoterm.run(
                ["people", "add", "dr-own", "--role", "clinician", "--doctor", "103", "--authorized-keys", home + "/authorized_keys"],
                environment: env)
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
}
