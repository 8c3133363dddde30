import DrChronoAPI
import DrChronoSandbox
import Foundation
import SandboxHarness
import Sync

#if canImport(Glibc)
    import Glibc
#endif

/// What consoles left open cost a shared host: N `chronoterm console` processes (the
/// release binary beside this one) on one profile, each in a tmux session of its own at
/// 120×40 with nobody typing, and a `sync --daemon` holding the lease, while the practice
/// works through its day (`--activity day`). CPU time of the consoles over 60 s after 20
/// s of settling (`/proc/PID/stat`), memory each (`/proc/PID/smaps_rollup`): resident
/// (RSS, which counts the binary's and libraries' pages every console shares in full),
/// proportional (PSS: shared pages divided among the processes that map them) and
/// private (what one more console adds to the host).
enum ConsolesBench {
    static let socket = "chronoterm-bench"

    static func run(size: PracticeSize, counts: [Int]) async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("chronoterm").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            say("\(binary) is missing: build it first (make release)")
            exit(2)
        }
        say("loading the \(size.rawValue) practice, at work (--activity day)…")
        let practice = try await BenchPractice.start(size: size, activity: .day)
        try await SyncEngine(mirror: practice.mirror, client: practice.client, timeZone: .current).load()
        // The load ran unthrottled; the practice at work has DrChrono's 500 an hour.
        var settings = try ProfileSettings.load(from: practice.profile)
        settings.hourlyLimit = 500
        try settings.save(to: practice.profile)
        let environment = [
            "XDG_CONFIG_HOME": practice.root.path, "CHRONOTERM_PROFILE": practice.profile.name,
            "CHRONOTERM_KEY_FILE": practice.root.appendingPathComponent("key").path,
        ]
        let daemon = try ChildProcess(
            binary, ["sync", "--daemon"], environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
        }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        for count in counts {
            tmux(["kill-server"])
            try await Task.sleep(for: .seconds(1))
            let command =
                environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + " \(binary) console"
            for index in 1...count { tmux(["new-session", "-d", "-s", "c\(index)", "-x", "120", "-y", "40", command]) }
            try await Task.sleep(for: .seconds(20))
            let pids = consoles(of: binary)
            let before = pids.map(cpuTicks).reduce(0, +)
            try await practice.clearRequests()
            try await Task.sleep(for: .seconds(60))
            let ticks = Double(pids.map(cpuTicks).reduce(0, +) - before)
            let memory = pids.map(Memory.init(pid:))
            let all = ticks / hz / 60 * 100
            func mean(_ kib: (Memory) -> Int) -> Double { Double(memory.map(kib).reduce(0, +)) / 1024 / Double(max(1, memory.count)) }
            print(
                String(
                    format: "consoles on one profile (%@, at work): %d open, CPU %.2f %% of one core together (%.3f %% each) over 60 s; "
                        + "RSS each %.1f MiB (largest %.1f), PSS %.1f, private %.1f; %d requests in the minute (the daemon's)",
                    size.rawValue, pids.count, all, all / Double(max(1, pids.count)), mean(\.resident),
                    Double(memory.map(\.resident).max() ?? 0) / 1024, mean(\.proportional), mean(\.unshared),
                    try await practice.requests()))
        }
        tmux(["kill-server"])
        await practice.stop()
    }

    /// Runs tmux (from PATH) and waits for it.
    static func tmux(_ arguments: [String]) {
        try? ChildProcess("tmux", ["-L", socket] + arguments).waitUntilExit()
    }

    /// The running consoles of `binary`, by their command lines.
    static func consoles(of binary: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            let line = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            let parts = line.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return parts.count == 2 && parts[0] == binary && parts[1] == "console"
        }
    }

    /// User and system time of `pid`, in clock ticks.
    static func cpuTicks(_ pid: Int32) -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return 0
        }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the name: state is field 3, utime 14 and stime 15 of the whole line.
        return fields.count > 12 ? (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0) : 0
    }

    /// One process's memory, in KiB, from `/proc/PID/smaps_rollup`.
    struct Memory {
        var resident = 0, proportional = 0, unshared = 0

        init(pid: Int32) {
            let rollup = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
            for line in rollup.split(separator: "\n") {
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                guard parts.count >= 2, let kib = Int(parts[1]) else { continue }
                switch parts[0] {
                case "Rss:": resident = kib
                case "Pss:": proportional = kib
                case "Private_Clean:", "Private_Dirty:": unshared += kib
                default: break
                }
            }
        }
    }
}
