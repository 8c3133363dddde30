import DrChronoAPI
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Testing

/// The terminal a console runs in going away, hanging up, or being unfit: the host's faults
/// a person at a console meets.
extension HostFaultTests {
    @Test("a console whose terminal goes away exits at once, stops using the CPU, and its queued writes stay queued")
    func terminalLost() async throws {
        var env: [String: String] = [:]
        var started: Tmux?
        try await withSandbox { sandbox in
            env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await Chronoterm.run(["sync", "--once"], environment: env)
            started = try await Tmux.start(["--date", "2026-03-04"], environment: env)
            _ = try await started!.waitForSynced()
        }
        let tmux = try unwrap(started, "the console")
        defer { tmux.kill() }
        // DrChrono is gone now: a check-in stays queued.
        try await tmux.press("l", "c")
        _ = try await tmux.waitFor("1 queued")
        let console = try #require(try tmux.processes().first, "the console's process")
        // The session (and its terminal) goes away without a word to the console.
        try tmux.run(["kill-session", "-t", tmux.name])
        let gone = await Self.waitUntilGone(console, seconds: 5)
        #expect(gone, "the console was still running 5 s after its terminal went away")
        if !gone {
            let before = Processes.stat(console)?.cpuTicks ?? 0
            try await Task.sleep(for: .seconds(1))
            #expect((Processes.stat(console)?.cpuTicks ?? 0) - before < 10, "and it is spinning")
        }
        let mirror = try MirrorDatabase.open(at: Self.mirrorPath(env))
        #expect(try await mirror.pool.read { db in try Outbox.entries(db).count } == 1, "the queued check-in is still queued")
    }

    @Test("a hangup ends the console cleanly; started in the background (timeout without --foreground) it says so and exits")
    func hangupAndBackground() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-hup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let demo = try await Tmux.start(["demo", "--size", "small"], environment: ["XDG_CONFIG_HOME": home.path])
        defer { demo.kill() }
        _ = try await demo.waitForSynced(timeout: 60)
        let console = try #require(try demo.processes().first)
        kill(console, SIGHUP)
        #expect(await Self.waitUntilGone(console, seconds: 5), "SIGHUP ends the console")

        let background = try await Tmux.start(
            ["demo", "--size", "small"], environment: ["XDG_CONFIG_HOME": home.path], wrapper: ["timeout", "120"])
        defer { background.kill() }
        let screen = try await background.waitFor("background")
        #expect(screen.contains("--foreground"), "\(screen)")
        #expect(try background.processes().isEmpty, "nothing is left running")
    }

    // MARK: A broken environment

    @Test("TERM unset, unknown or dumb: the console says what is wrong and what to set")
    func badTerminal() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-term-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let cases: [(wrapper: [String], expected: String)] = [
            (["env", "-u", "TERM"], "TERM is not set"),
            (["env", "TERM=nosuchterm"], "TERM=nosuchterm is not a terminal type"),
            (["env", "TERM=dumb"], "cannot move its cursor"),
            // A TERM with an escape sequence in it comes back inert, not as a command to this terminal.
            (["env", "TERM=x\u{1B}]2;owned\u{07}"], "TERM=x␛]2;owned· is not a terminal type"),
        ]
        for (wrapper, expected) in cases {
            let tmux = try await Tmux.start(["demo"], environment: ["XDG_CONFIG_HOME": home.path], wrapper: wrapper)
            defer { tmux.kill() }
            let screen = try await tmux.waitFor(expected)
            #expect(screen.contains("export TERM=") || screen.contains("set TERM"), "\(screen)")
        }
    }

    @Test("a tmux server started by a test holds only its own descriptors, and is gone with everything in it after kill")
    func tmuxHygiene() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-fd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try await Tmux.start(["demo", "--size", "small"], environment: ["XDG_CONFIG_HOME": home.path])
        let server = try #require(
            pid_t(try tmux.run(["display-message", "-p", "-t", tmux.name, "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)))
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(server)/fd").count
        #expect(descriptors < 30, "the tmux server holds \(descriptors) descriptors: it inherited the test process's")
        _ = try await tmux.waitForSynced(timeout: 60)
        let console = try #require(try tmux.processes().first)
        tmux.kill()
        #expect(await Self.waitUntilGone(server, seconds: 5) && Self.isGone(console))
    }
}
