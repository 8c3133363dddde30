import Foundation
import SandboxHarness

#if canImport(Glibc)
    import Glibc
#endif

/// A tmux server of the test's own, running one window as a person's terminal: keys go
/// in with send-keys, the screen comes out with capture-pane.
struct Tmux {
    let socket = "chronoterm-test-\(UUID().uuidString.prefix(8))"
    let name = "console"

    /// Starts `arguments` (the built chronoterm and its arguments) in a 120×40 window;
    /// `wrapper` runs before it (`timeout 60`, `env -u TERM`).
    static func start(
        _ arguments: [String], environment: [String: String], wrapper: [String] = [], program: [String]? = nil, width: Int = 120,
        height: Int = 40
    )
        async throws -> Tmux
    {
        let result: Result<Tmux, Error> = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(
                    returning: Result {
                        try startBlocking(
                            arguments, environment: environment, wrapper: wrapper, program: program ?? [Chronoterm.binary.path],
                            width: width,
                            height: height)
                    })
            }.start()
        }
        return try result.get()
    }

    /// `program`: what runs (the built chronoterm, or `ssh` for a person coming over SSH).
    private static func startBlocking(
        _ arguments: [String], environment: [String: String], wrapper: [String], program: [String], width: Int, height: Int
    )
        throws -> Tmux
    {
        let tmux = Tmux()
        var env = ["TERM=tmux-256color", "LANG=C.UTF-8"]
        for (key, value) in environment { env.append("\(key)=\(value)") }
        // The command's own environment is set with env(1): tmux's server has its own.
        let command = (["env"] + env + wrapper + program + arguments).map(shellQuoted).joined(separator: " ")
        try tmux.run(
            ["new-session", "-d", "-s", tmux.name, "-x", String(width), "-y", String(height), command + "; sleep 600"], capture: false)
        try tmux.run(["set-option", "-t", tmux.name, "remain-on-exit", "on"])
        return tmux
    }

    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs a tmux command and answers what it printed.
    ///
    /// Started as a ``ChildProcess`` (posix_spawn, reaped by waitpid) rather than
    /// Foundation's Process:
    /// the tmux server forks off the first client and keeps every descriptor it was
    /// given, and Process learns of a child's exit from one of those — so it would wait
    /// for the server, forever.
    ///
    /// The child gets standard input, output and error and nothing else: the pipe is
    /// close-on-exec and every other descriptor is closed in the child. A tmux server
    /// forked meanwhile for another test would otherwise keep this pipe's write end
    /// (and the test process's sockets) open for its whole life, and this read would
    /// never see its end.
    @discardableResult
    func run(_ arguments: [String], capture: Bool = true) throws -> String {
        var pipe: [Int32] = [-1, -1]
        guard Spawning.pipe2(&pipe, O_CLOEXEC) == 0 else { throw TmuxTimeout(description: "no pipe for tmux") }
        defer { close(pipe[0]) }
        // Its signals as a new process expects them (``ChildSignals``): a tmux server
        // spawned with SIGTERM blocked ignores kill-server, and one with SIGCHLD blocked
        // never reaps its panes.
        let tmux: ChildProcess
        do {
            tmux = try ChildProcess("tmux", ["-L", socket] + arguments, output: capture ? pipe[1] : nil)
        } catch {
            close(pipe[1])
            throw TmuxTimeout(description: "tmux could not be started (is it installed?)")
        }
        close(pipe[1])
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while capture {
            let count = read(pipe[0], &buffer, buffer.count)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        tmux.waitUntilExit()
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

    func resize(width: Int, height: Int) async throws {
        try await onThread(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

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

    /// Waits for the status bar to say the console has synced: "schedule <1m old" (the
    /// age of today's schedule), or "synced … ago" before a first complete pass.
    func waitForSynced(timeout: TimeInterval = 30) async throws -> String {
        try await waitUntil(timeout: timeout, "the status bar to say the console has synced") { screen in
            screen.contains("synced") || screen.range(of: #"schedule (<1m|\d+[mhd]) old"#, options: .regularExpression) != nil
        }
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
                continuation.resume(
                    returning: .failure(TmuxTimeout(description: "Waited \(Int(timeout)) s for \(what); the screen showed:\n\(last)")))
            }.start()
        }
        return try result.get()
    }

    /// Ends the server and everything in its window. The console is expected to leave
    /// at the hangup by itself; whatever is still there after a few seconds is killed,
    /// so no test leaves a process behind, passed or failed.
    func kill() {
        let panes = ((try? run(["list-panes", "-a", "-F", "#{pane_pid}"])) ?? "").split(separator: "\n").compactMap { pid_t($0) }
        let server = ((try? run(["display-message", "-p", "-t", name, "#{pid}"])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try? run(["kill-server"])
        defer {
            // A server that did not go (it should: kill-server) is ended all the same —
            // also one whose pid could not be asked (a busy machine, a server exiting).
            var servers = Processes.running(withArguments: ["tmux", "-L", socket])
            if let server = pid_t(server) { servers.append(server) }
            for server in Set(servers) where Processes.isRunning(server) {
                usleep(200_000)
                if Processes.isRunning(server) { Glibc.kill(server, SIGKILL) }
            }
        }
        for pane in panes {
            // The pane's shell leads its own process group, which the console shares.
            let deadline = Date().addingTimeInterval(5)
            while Glibc.kill(-pane, 0) == 0, Date() < deadline { usleep(50_000) }
            Glibc.kill(-pane, SIGKILL)
        }
    }

    /// `/`, a search that finds one patient, Esc: their row selected, the list's keys live.
    func findPatient(_ text: String) async throws {
        try await press("/")
        try await type(text)
        _ = try await waitFor("1 found")
        try await press("Escape")
    }

    /// In the billing pane: `a`, a code, a price and a diagnosis, Enter — a charge as a
    /// biller keys it.
    func addLineItem(code: String = "99213", price: String = "100", diagnosis: String = "I10") async throws {
        try await press("a")
        try await type(code)
        try await press("Tab", "Tab", "Tab", "Tab", "C-u")  // the fee schedule's price, replaced
        try await type(price)
        try await press("Tab")
        try await type(diagnosis)
        try await press("Enter")
    }

    /// The process ids of `binary` running in this server's window (the console).
    func processes(named binary: URL = Chronoterm.binary) throws -> [pid_t] {
        let panes = try run(["list-panes", "-a", "-F", "#{pane_pid}"]).split(separator: "\n").compactMap { pid_t($0) }
        // /proc's exe link names the file itself (.build/debug is a link to the real folder).
        let real = binary.resolvingSymlinksInPath().path
        return Processes.descendants(of: panes).filter { Processes.executable(of: $0) == real && Processes.isRunning($0) }
    }
}

struct TmuxTimeout: Error, CustomStringConvertible { var description: String }

/// glibc's `pipe2`, which Swift's Glibc module does not declare (it needs _GNU_SOURCE):
/// looked up by name and called as the C function it is.
enum Spawning {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32

    static let pipe2: Pipe2 = unsafeBitCast(dlsym(nil, "pipe2")!, to: Pipe2.self)
}

/// What /proc says about processes: children, executables, CPU time.
enum Processes {
    /// `roots` and every process below them.
    static func descendants(of roots: [pid_t]) -> [pid_t] {
        var parents: [pid_t: pid_t] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(name), let stat = self.stat(pid) else { continue }
            parents[pid] = stat.parent
        }
        var found = Set(roots)
        var grew = true
        while grew {
            grew = false
            for (pid, parent) in parents where found.contains(parent) && !found.contains(pid) {
                found.insert(pid)
                grew = true
            }
        }
        return Array(found)
    }

    /// Processes whose command line begins with `arguments`.
    static func running(withArguments arguments: [String]) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let words = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            return words.count >= arguments.count && Array(words.prefix(arguments.count)) == arguments
        }
    }

    static func executable(of pid: pid_t) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe") }

    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = stat(pid) else { return false }
        return stat.state != "Z"
    }

    /// The parent, the state letter and the CPU time used so far (user + system, in clock ticks).
    static func stat(_ pid: pid_t) -> (parent: pid_t, state: Character, cpuTicks: Int)? {
        // A process ending as it is read can leave the text short: nothing is assumed of it.
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")"),
            let start = text.index(close, offsetBy: 2, limitedBy: text.endIndex)
        else { return nil }
        let fields = text[start...].split(separator: " ")
        guard fields.count > 13, let parent = pid_t(fields[1]), let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return (parent, fields[0].first ?? "?", user + system)
    }
}

extension Tmux: Sendable {}
