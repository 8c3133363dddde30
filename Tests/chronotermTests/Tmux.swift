import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tmux server of the test's own, running one window as a person's terminal: keys go
/// in with send-keys, the screen comes out with capture-pane.
struct Tmux {
    let socket = "chronoterm-test-\(UUID().uuidString.prefix(8))"
    let name = "console"

    /// Starts `arguments` (the built chronoterm and its arguments) in a 120×40 window.
    static func start(_ arguments: [String], environment: [String: String], width: Int = 120, height: Int = 40) async throws -> Tmux {
        let result: Result<Tmux, Error> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { try startBlocking(arguments, environment: environment, width: width, height: height) }) }.start()
        }
        return try result.get()
    }

    private static func startBlocking(_ arguments: [String], environment: [String: String], width: Int, height: Int) throws -> Tmux {
        let tmux = Tmux()
        var env = ["TERM=tmux-256color", "LANG=C.UTF-8"]
        for (key, value) in environment { env.append("\(key)=\(value)") }
        // The command's own environment is set with env(1): tmux's server has its own.
        let command = (["env"] + env + [Chronoterm.binary.path] + arguments).map(shellQuoted).joined(separator: " ")
        try tmux.run(["new-session", "-d", "-s", tmux.name, "-x", String(width), "-y", String(height), command + "; sleep 600"], capture: false)
        try tmux.run(["set-option", "-t", tmux.name, "remain-on-exit", "on"])
        return tmux
    }

    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs a tmux command and answers what it printed.
    ///
    /// Spawned and reaped with posix_spawn and waitpid rather than Foundation's Process:
    /// the tmux server forks off the first client and keeps every descriptor it was
    /// given, and Process learns of a child's exit from one of those — so it would wait
    /// for the server, forever.
    @discardableResult
    func run(_ arguments: [String], capture: Bool = true) throws -> String {
        var pipe: [Int32] = [-1, -1]
        guard Glibc.pipe(&pipe) == 0 else { throw TmuxTimeout(description: "no pipe for tmux") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capture { posix_spawn_file_actions_adddup2(&actions, pipe[1], 1) } else { posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        let argv = (["tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, argv, environ)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard spawned == 0 else { throw TmuxTimeout(description: "tmux could not be started (is it installed?)") }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while capture {
            let count = read(pipe[0], &buffer, buffer.count)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return String(decoding: output, as: UTF8.self)
    }

    /// Keys by tmux's names: "Enter", "Escape", "Tab", "C-l", "Down", or plain letters,
    /// one at a time as fingers press them: Esc and the next key sent together would
    /// arrive inside the terminal's Esc delay and read as Alt with that key.
    func press(_ keys: String...) async throws {
        for (index, key) in keys.enumerated() {
            if index > 0 { try await Task.sleep(for: .milliseconds(80)) }
            try await onThread(["send-keys", "-t", name, key])
        }
    }

    /// Text typed as it is.
    func type(_ text: String) async throws { try await onThread(["send-keys", "-t", name, "-l", text]) }

    func screen() throws -> String { try run(["capture-pane", "-p", "-t", name]) }

    func resize(width: Int, height: Int) async throws { try await onThread(["resize-window", "-t", name, "-x", String(width), "-y", String(height)]) }

    /// Runs a tmux command on a thread of its own: waiting for a child process must not
    /// hold one of Swift's few cooperative threads (the in-process sandbox needs them).
    private func onThread(_ arguments: [String]) async throws {
        let me = self
        let result: Result<String, Error> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { try me.run(arguments) }) }.start()
        }
        _ = try result.get()
    }

    /// Waits (on a thread of its own: this blocks) until the screen shows `text`;
    /// answers the screen, or throws with what it showed instead.
    func waitFor(_ text: String, timeout: TimeInterval = 30) async throws -> String {
        try await waitUntil(timeout: timeout, "the screen to show \"\(text)\"") { $0.contains(text) }
    }

    func waitUntil(timeout: TimeInterval = 30, _ what: String, _ condition: @escaping @Sendable (String) -> Bool) async throws -> String {
        let me = self
        let result: Result<String, Error> = await withCheckedContinuation { continuation in
            Thread {
                let deadline = Date().addingTimeInterval(timeout)
                var last = ""
                while Date() < deadline {
                    last = (try? me.screen()) ?? ""
                    if condition(last) { continuation.resume(returning: .success(last)); return }
                    Thread.sleep(forTimeInterval: 0.1)
                }
                continuation.resume(returning: .failure(TmuxTimeout(description: "Waited \(Int(timeout)) s for \(what); the screen showed:\n\(last)")))
            }.start()
        }
        return try result.get()
    }

    func kill() { _ = try? run(["kill-server"]) }
}

struct TmuxTimeout: Error, CustomStringConvertible { var description: String }

extension Tmux: Sendable {}
