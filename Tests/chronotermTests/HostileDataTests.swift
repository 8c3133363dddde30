import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// What DrChrono sends is untrusted, and what chronoterm writes down must hold no PHI
/// and no secret.
@Suite("Hostile data and quiet logs", .serialized)
struct HostileDataTests {
    static let planted = "Eve\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[31m"

    @Test("an escape sequence in a patient's name shows inert; an oversized name is cut; no log holds a name or a token")
    func hostilePatient() async throws {
        try await withSandbox { sandbox in
            let doctors = try await sandbox.adminJSON("records/doctors")["results"]?.arrayValue ?? []
            let doctor = try unwrap(doctors.first?.objectValue?.int("id"), "a doctor")
            let evil = try await sandbox.admin(
                "POST", "records/patients",
                .object([
                    "first_name": .string(Self.planted), "last_name": .string("Mallory"), "chart_id": .string("EVIL0001"),
                    "date_of_birth": .string("1980-01-01"), "doctor": .int(doctor), "gender": .string("Female"),
                ]))
            #expect(evil.status < 300)
            let long = try await sandbox.admin(
                "POST", "records/patients",
                .object([
                    "first_name": .string("Wolfeschlegelsteinhausenbergerdorff"),
                    "last_name": .string(String(repeating: "Longname", count: 30)),
                    "chart_id": .string("LONG0001"), "date_of_birth": .string("1970-01-01"), "doctor": .int(doctor),
                    "gender": .string("Male"),
                ]))
            #expect(long.status < 300, "\(String(decoding: long.body, as: UTF8.self))")
            var env = try await Chronoterm.loggedIn(to: sandbox)
            env["CHRONOTERM_LOG"] = "trace"
            let synced = try await Chronoterm.run(["sync", "--once"], environment: env)
            #expect(synced.status == 0)

            let tmux = try await Tmux.start(["--date", "2026-03-04"], environment: env)
            defer { tmux.kill() }
            _ = try await tmux.waitFor("Wednesday 3/4/2026")
            try await tmux.press("/")
            try await tmux.type("EVIL0001")
            // Shown as inert characters, and cut to its column.
            _ = try await tmux.waitFor("Search: EVIL0001_")
            var screen = try await tmux.waitUntil("the planted name, inert, beside its chart id") { screen in
                screen.split(separator: "\n").contains { $0.contains("Mallory, Eve␛]0;pwned·␛[2J␛[31m") && $0.contains("EVIL0001") }
            }
            #expect(screen.contains("Search: EVIL0001_"), "the screen was not cleared")
            let title = try tmux.run(["display-message", "-p", "-t", tmux.name, "#{pane_title}"])
            #expect(!title.contains("pwned"), "the window title is untouched: \(title)")
            try await tmux.press("Enter")
            screen = try await tmux.waitFor("chart EVIL0001")
            #expect(screen.contains("Mallory, Eve␛]0;pwned·␛[2J␛[31m"))

            try await tmux.press(":")
            try await tmux.type("search LONG0001")
            try await tmux.press("Enter")
            // Cut to its column with an ellipsis, the chart id still beside it.
            screen = try await tmux.waitUntil("the oversized name cut to its column") { screen in
                screen.split(separator: "\n").contains { $0.contains("LongnameLongname") && $0.contains("… LONG0001") }
            }
            #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 120 })
            try await tmux.press("Escape", "q")
            _ = try await tmux.waitUntil("chronoterm to exit") { !$0.contains("? help") }

            // Every log this profile's commands wrote, at their most verbose.
            let profile = URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!).appendingPathComponent("chronoterm/profiles/desk")
            let consoleLog = (try? String(contentsOf: profile.appendingPathComponent("console.log"), encoding: .utf8)) ?? ""
            let logs = synced.errors + synced.output + consoleLog
            #expect(consoleLog.contains("answered"), "the console's log was written at trace level")
            let token = try await sandbox.token()
            let names = try await sandbox.all("/api/patients", token: token).rows.flatMap {
                [$0.string("last_name") ?? "", $0.string("first_name") ?? ""]
            }
            .filter { $0.count >= 4 }
            let tokens = try TokenVault(
                directory: ProfileDirectory(name: "desk", environment: env),
                keySource: .keyFile(URL(fileURLWithPath: env["CHRONOTERM_KEY_FILE"]!))
            ).load()
            for secret in [tokens.accessToken, tokens.refreshToken, tokens.clientSecret] {
                #expect(!logs.contains(secret), "a secret in the logs")
            }
            let leaked = Set(names.filter { logs.contains($0) })
            #expect(leaked.isEmpty, "patient names in the logs: \(leaked.sorted().prefix(5))")
        }
    }
}
