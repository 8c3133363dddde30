import DrChronoAPI
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// When the machine itself misbehaves: a full disk, a terminal that goes away, a
/// broken environment, damaged files. Each run as a person would meet it.
@Suite("The host's own faults")
struct HostFaultTests {
    // MARK: A full disk

    @Test("a full disk during a token refresh keeps the login: it says the disk is full, and works again once there is room")
    func fullDiskRefresh() async throws {
        try await withSandbox { sandbox in
            let (disk, env) = try await Self.profileOnSmallDisk(sandbox)
            defer { disk.remove() }
            _ = try await sandbox.admin("POST", "tokens/expire")
            let refreshes = try await sandbox.count("POST /o/token")
            // Full to the last byte, then with room for the budget's few bytes but not a vault.
            for leaving in [0, 4096] {
                let filler = try disk.fill(leaving: leaving)
                for attempt in 1...2 {
                    let whoami = try await Chronoterm.run(["whoami"], environment: env)
                    #expect(whoami.status != 0)
                    #expect(whoami.errors.contains("is full"), "\(leaving) bytes left, attempt \(attempt): \(whoami.errors)")
                    #expect(
                        !whoami.errors.contains("does not understand") && !whoami.errors.contains("no longer accepts"), "\(whoami.errors)")
                }
                #expect(
                    try await sandbox.count("POST /o/token") == refreshes, "no refresh token was spent while the new one could not be saved"
                )
                unlink(filler)
            }
            let again = try await Chronoterm.run(["whoami"], environment: env)
            #expect(again.status == 0, "\(again.errors)")
            #expect(again.output.contains("frontdesk"))
            let next = try await Chronoterm.run(["whoami"], environment: env)
            #expect(next.status == 0, "the rotated tokens reached the disk: \(next.errors)")
        }
    }

    @Test("a sync that fills the disk says which disk is full and what to do, never SQLite's words")
    func fullDiskSync() async throws {
        try await withSandbox { sandbox in
            let (disk, env) = try await Self.profileOnSmallDisk(sandbox)
            defer { disk.remove() }
            _ = try disk.fill(leaving: 96 * 1024)
            let sync = try await Chronoterm.run(["sync", "--once"], environment: env)
            #expect(sync.status != 0)
            #expect(sync.errors.contains("is full"), "\(sync.errors)")
            #expect(sync.errors.contains(disk.path), "names the disk: \(sync.errors)")
            #expect(!sync.errors.contains("SQLite error") && !sync.errors.contains("while executing"), "\(sync.errors)")
        }
    }

    @Test("a full disk is said as a full disk, never as another chronoterm holding the sync")
    func fullDiskLease() async throws {
        try await withSandbox { sandbox in
            let (disk, env) = try await Self.profileOnSmallDisk(sandbox)
            defer { disk.remove() }
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            _ = try disk.fill(leaving: 0)
            let daemon = try await Chronoterm.run(["sync", "--daemon"], environment: env)
            #expect(daemon.status != 0 && daemon.errors.contains("is full"), "\(daemon.errors)")
            #expect(!daemon.errors.contains("Another chronoterm") && !daemon.errors.contains("standing by"), "\(daemon.errors)")
        }
    }

    @Test("a budget that cannot be recorded counts as spent: nothing is sent")
    func unrecordedBudget() async throws {
        let nowhere = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/budget.json")
        let budget = RequestBudget(file: nowhere)
        await #expect(throws: APIError.self) { try await budget.acquire(.interactive, waitForNextHour: false) }
        do {
            try await budget.acquire(.background, waitForNextHour: false)
            Issue.record("a request was granted that no budget file recorded")
        } catch {
            #expect(error.description.contains("cannot record its requests"))
        }
    }

    @Test("bad settings in profile.json are refused with the field, the file and what is allowed")
    func badSettings() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let file = URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!).appendingPathComponent("chronoterm/profiles/desk/profile.json")
            let good = try #require(try JSONValue.parse(Data(contentsOf: file)).objectValue)
            let cases: [(String, JSONValue, [String])] = [
                ("role", .string("admin"), ["\"role\": \"admin\"", "\"front-desk\", \"billing\", \"clinician\""]),
                ("hourly_limit", .int(0), ["\"hourly_limit\": 0", "1 or more"]),
                ("hourly_limit", .int(-5), ["\"hourly_limit\": -5"]),
                ("lock_after_minutes", .int(-1), ["\"lock_after_minutes\": -1", "0 never locks"]),
                ("server", .string("ftp://example.invalid/"), ["\"server\": \"ftp://example.invalid/\"", "https://app.drchrono.com"]),
                ("hourly_limit", .string("lots"), ["\"hourly_limit\" of the wrong kind", "a whole number"]),
            ]
            for (field, value, expected) in cases {
                var settings = good
                settings[field] = value
                try JSONValue.object(settings).serialized.write(to: file)
                let result = try await Chronoterm.run(["whoami"], environment: env)
                #expect(result.status != 0, "\(field) = \(value) was accepted")
                #expect(result.errors.contains(file.path), "names the file: \(result.errors)")
                for text in expected { #expect(result.errors.contains(text), "\(field): \(result.errors)") }
            }
            try JSONValue.object(good).serialized.write(to: file)
            let key = try #require(env["CHRONOTERM_KEY_FILE"])
            chmod(key, 0o644)
            let open = try await Chronoterm.run(["whoami"], environment: env)
            #expect(open.status != 0)
            #expect(open.errors.contains("can be read by other users") && open.errors.contains("chmod 600 \(key)"), "\(open.errors)")
            chmod(key, 0o600)
            #expect(try await Chronoterm.run(["whoami"], environment: env).status == 0)
        }
    }

    // MARK: Damaged and emptied mirrors

    @Test("a damaged mirror is named with what to do; sync --rebuild keeps the queued writes and the audit trail")
    func damagedMirror() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await Chronoterm.run(["sync", "--once"], environment: env)
            let path = Self.mirrorPath(env)
            let appointment: String = try await {
                let mirror = try MirrorDatabase.open(at: path)
                return try await mirror.pool.write { db in
                    let id = try #require(try String.fetchOne(db, sql: "SELECT id FROM appointments ORDER BY id LIMIT 1"))
                    try Outbox.setStatus("Arrived", appointment: id, in: db, now: RunningSandbox.wednesdayMorning)
                    return id
                }
            }()
            let auditBefore = try await Self.auditCount(path)
            // What every sync reads first: where each pull left off.
            try Self.damage(["sync_state", "sqlite_autoindex_sync_state_1"], in: path)

            let broken = try await Chronoterm.run(["sync", "--once"], environment: env)
            #expect(broken.status != 0)
            #expect(broken.errors.contains("\(path) is damaged") && broken.errors.contains("chronoterm sync --rebuild"), "\(broken.errors)")
            #expect(!broken.errors.contains("SQLite error"), "\(broken.errors)")

            let rebuilt = try await Chronoterm.run(["sync", "--rebuild"], environment: env)
            #expect(rebuilt.status == 0, "\(rebuilt.errors)")
            #expect(rebuilt.errors.contains("Carried over: 1 queued write and \(auditBefore) audit entries"), "\(rebuilt.errors)")
            let kept = try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
            #expect(kept.contains { $0.hasPrefix("mirror.damaged-") && $0.hasSuffix(".sqlite") }, "the damaged copy is kept: \(kept)")
            let mirror = try MirrorDatabase.open(at: path)
            let entries = try await mirror.pool.read { db in try Outbox.entries(db) }
            #expect(entries.map(\.target) == [.appointment(appointment)], "the queued status change survived")
            #expect(try await mirror.pool.read { db in try MirrorQueries.count(db, .appointments) } > 0, "the practice was loaded again")
            let verified = try await Chronoterm.run(["audit", "--verify"], environment: env)
            #expect(verified.status == 0 && verified.output.contains("intact"), "\(verified.output)\(verified.errors)")
        }
    }

    @Test("an emptied or replaced mirror does not pass the audit check")
    func emptiedMirror() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let first = try await Chronoterm.run(["audit", "--verify"], environment: env)
            #expect(first.status == 0 && first.output.contains("intact: 1 entry,"), "\(first.output)")
            let path = Self.mirrorPath(env)
            for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
            truncate(path, 0)
            let emptied = try await Chronoterm.run(["audit", "--verify"], environment: env)
            #expect(emptied.status == 1, "\(emptied.output)")
            #expect(emptied.output.contains("was replaced since the trail was last checked"), "\(emptied.output)")

            // Without the checkpoint too: a logged-in profile always has its login entry.
            unlink(URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("audit.checkpoint").path)
            for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
            truncate(path, 0)
            let empty = try await Chronoterm.run(["audit", "--verify"], environment: env)
            #expect(empty.status == 1, "\(empty.output)")
            #expect(empty.output.contains("the trail is empty, yet this profile has logged in"), "\(empty.output)")
        }
    }

    @Test("a checkpoint written by hand fails verify, names --reseal, and --reseal (recorded) seals it where the trail stands")
    func handWrittenCheckpoint() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let file = URL(fileURLWithPath: Self.mirrorPath(env)).deletingLastPathComponent().appendingPathComponent("audit.checkpoint")
            var checkpoint = try JSONDecoder().decode(AuditCheckpoint.self, from: try Data(contentsOf: file))
            #expect(checkpoint.seal != nil, "the login sealed it")
            checkpoint.seal = nil
            try JSONEncoder().encode(checkpoint).write(to: file)
            let forged = try await Chronoterm.run(["audit", "--verify"], environment: env)
            #expect(forged.status == 1 && forged.output.contains("not sealed with this profile's key"), "\(forged.output)")
            #expect(forged.output.contains("chronoterm audit --reseal"))
            let resealed = try await Chronoterm.run(["audit", "--reseal"], environment: env)
            #expect(resealed.status == 0, "\(resealed.output) \(resealed.errors)")
            let after = try await Chronoterm.run(["audit", "--verify"], environment: env)
            #expect(after.status == 0 && after.output.contains("intact: 2 entries"), "\(after.output)")
            #expect(try await Chronoterm.run(["audit", "--csv"], environment: env).output.contains(",audit.resealed,"))
        }
    }

    // MARK: One lease holder

    @Test("with a daemon holding the lease, a second daemon and a console send nothing")
    func onlyTheLeaseHolderSends() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await Chronoterm.run(["sync", "--once"], environment: env)
            let first = try Chronoterm.start(["sync", "--daemon"], environment: env)
            defer { kill(first.process.processIdentifier, SIGCONT); first.process.terminate() }
            _ = await Chronoterm.read(first.errors, until: "Keeping the mirror fresh")
            try await Task.sleep(for: .seconds(1))
            // Frozen, it still holds the lease (for 15 s): anything sent now is someone else's.
            kill(first.process.processIdentifier, SIGSTOP)
            _ = try await sandbox.admin("DELETE", "requests")

            let second = try Chronoterm.start(["sync", "--daemon"], environment: env)
            defer { second.process.terminate() }
            let said = await Chronoterm.read(second.errors, until: "standing by")
            #expect(said.contains("Another chronoterm keeps this profile in sync"), "\(said)")
            let console = try await Tmux.start(["--date", "2026-03-04"], environment: env)
            defer { console.kill() }
            _ = try await console.waitFor("synced by another chronoterm")
            try await Task.sleep(for: .seconds(3))
            let counters = try await sandbox.adminJSON("requests")
            #expect(counters.int("total") == 0, "requests from processes without the lease: \(counters)")
        }
    }

    // MARK: The suite's own hygiene

    // MARK: Helpers

    /// A profile logged in to `sandbox`, kept on a 6 MB tmpfs of the test's own (the small
    /// practice, loaded with its change events, takes about 4).
    static func profileOnSmallDisk(_ sandbox: RunningSandbox) async throws -> (SmallDisk, [String: String]) {
        let disk = try SmallDisk(megabytes: 6)
        var env = try AccountCommandTests().environment()
        env["XDG_CONFIG_HOME"] = disk.path
        _ = try await AccountCommandTests().logIn(sandbox, env)
        return (disk, env)
    }

    static func mirrorPath(_ env: [String: String]) -> String {
        URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!).appendingPathComponent(
            "chronoterm/profiles/\(env["CHRONOTERM_PROFILE"] ?? "desk")/mirror.sqlite"
        ).path
    }

    static func isGone(_ pid: pid_t) -> Bool { !Processes.isRunning(pid) }

    static func waitUntilGone(_ pid: pid_t, seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if isGone(pid) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return isGone(pid)
    }

    static func auditCount(_ path: String) async throws -> Int {
        let mirror = try MirrorDatabase.open(at: path)
        return try await mirror.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0 }
    }

    /// Overwrites the root pages of `tables` (and indexes) with noise, after folding
    /// the WAL into the file.
    static func damage(_ tables: [String], in path: String) throws {
        let (roots, pageSize): ([Int], Int) = try {
            let queue = try DatabaseQueue(path: path)
            return try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                let roots = try tables.map {
                    try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = ?", arguments: [$0]) ?? 0
                }
                return (roots.filter { $0 > 1 }, try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096)
            }
        }()
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        for root in roots {
            try handle.seek(toOffset: UInt64((root - 1) * pageSize))
            try handle.write(contentsOf: Data((0..<pageSize).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }))
        }
    }
}

/// A small tmpfs of the test's own, to fill: the full disk of a real host, made safely.
struct SmallDisk {
    let path: String

    init(megabytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-disk-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(megabytes)m,mode=0700") == 0 else {
            throw TmuxTimeout(
                description:
                    "could not mount a \(megabytes) MB tmpfs at \(path) (\(String(cString: strerror(errno)))): these tests run as root, as CI does"
            )
        }
    }

    /// Fills the disk with one file until only `leaving` bytes are free; answers its path.
    func fill(leaving: Int = 0) throws -> String {
        let filler = path + "/filler"
        let fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd) }
        var info = statvfs()
        statvfs(path, &info)
        var free = Int(info.f_bavail) * Int(info.f_frsize) - leaving
        let chunk = [UInt8](repeating: 0x5A, count: 4096)
        while free > 0 {
            let written = write(fd, chunk, min(chunk.count, free))
            if written <= 0 { break }
            free -= written
        }
        return filler
    }

    func remove() {
        umount2(path, Int32(MNT_DETACH))
        rmdir(path)
    }
}
