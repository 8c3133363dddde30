import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The README's set-up block, typed line by line into a shell as a newcomer would, against
/// the sandbox it starts itself: it must end with the person it adds at their console over
/// real SSH. The only changes are the ones a shared machine forces — a free port for the
/// README's 8765, and the test's own sshd (its port) for the machine's.
@Suite("The README's set-up block")
struct ReadmeSetupTests {
    /// The README's block marked as the one a test runs.
    static func block() throws -> [String] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let marker = try #require(text.range(of: "<!-- the set-up block: Tests/chronotermTests/ReadmeSetupTests.swift runs it -->"))
        let rest = text[marker.upperBound...]
        let start = try #require(rest.range(of: "```sh\n"))
        let end = try #require(rest[start.upperBound...].range(of: "```"))
        return rest[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
    }

    @Test("run as written against the sandbox, the README's set-up block opens the person's console over SSH")
    func setUpAsWritten() async throws {
        let lines = try Self.block()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-readme-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var sessions: [Tmux] = []
        var sshd: TestSSHD?
        var sandbox: pid_t?
        defer {
            // The sandbox the block started in the background is the shell's job, not the terminal's.
            if let sandbox {
                kill(sandbox, SIGTERM)
                for _ in 0..<50 where kill(sandbox, 0) == 0 { usleep(100_000) }
            }
            for session in sessions { session.kill() }
            sshd?.stop()
            try? FileManager.default.removeItem(at: home)
        }
        let port = try TestSSHD.freePort()
        let user = String(cString: getpwuid(getuid())!.pointee.pw_name)
        let path =
            Chronoterm.binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let shell = try await Tmux.start(
            [], environment: ["HOME": home.path, "USER": user, "PATH": path, "PS1": "$ "],
            program: ["/bin/bash", "--norc", "--noprofile", "-i"])
        sessions.append(shell)
        try await shell.type("cd \"$HOME\"")
        try await shell.press("Enter")

        let ssh = try #require(lines.last, "the block ends by connecting")
        #expect(ssh.hasPrefix("ssh -t -i maria "), "the block's last line is Maria connecting: \(ssh)")
        for (step, line) in lines.dropLast().enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            try await shell.type(line.replacingOccurrences(of: "8765", with: String(port)))
            try await shell.press("Enter")
            if line.hasPrefix("chronoterm sandbox") {
                let started = try await shell.waitFor("listening on", timeout: 60)
                let job = try #require(started.firstMatch(of: #/\[1\] (\d+)/#), "the shell names the job:\n\(started)")
                sandbox = pid_t(job.output.1)
            }
            if line.hasPrefix("chronoterm login") {
                // The browser's part: open the address the login prints, and follow DrChrono
                // (here, the sandbox) back to the login's own page on 127.0.0.1.
                let screen = try await shell.waitUntil(timeout: 60, "the login's address") { $0.contains("/o/authorize/") }
                let joined = try shell.run(["capture-pane", "-p", "-J", "-t", shell.name])
                let address = try #require(
                    joined.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.contains("/o/authorize/") }, "\(screen)")
                _ = try await URLSession.shared.data(from: try #require(URL(string: address)))
            }
            // Typed ahead, as a person would: the shell runs it once the line before is done.
            try await shell.type("echo \"line $((\(step) + 1)) done, status $?\"")
            try await shell.press("Enter")
            let done = try await shell.waitFor("line \(step + 1) done", timeout: 180)
            #expect(done.contains("line \(step + 1) done, status 0"), "\(line)\n\(done)")
        }

        // Maria connects; the test's own sshd stands in for the machine's.
        let keys = home.appendingPathComponent(".ssh/authorized_keys").path
        #expect(FileManager.default.fileExists(atPath: keys), "people add wrote the account's authorized_keys")
        sshd = try TestSSHD(authorizedKeys: keys)
        let console = try await Tmux.start(
            [], environment: [:], program: try #require(sshd).ssh(key: home.appendingPathComponent("maria").path, ["-tt"]))
        sessions.append(console)
        let screen = try await console.waitFor("maria@", timeout: 60)
        #expect(screen.contains("Schedule"), "her console, on the schedule:\n\(screen)")
    }
}
