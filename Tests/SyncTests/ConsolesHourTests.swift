import DrChronoAPI
import DrChronoSandbox
import Foundation
import Measurements
import Mirror
import SandboxHarness
import Sync
import Testing

/// Many people's consoles on one practice profile share one sync and one budget: the
/// practice's request rate must not grow with the number of people at work.
@Suite("Consoles open on one profile")
struct ConsolesHourTests {
    struct Hour {
        var requests: Int
        var throttled: Int
        var standingBy: Int
    }

    /// 10 to 11 am of the clinic day, the practice at work (`--activity day`), DrChrono's
    /// limits on, with `consoles` consoles of one profile open: each its own engine,
    /// client and mirror connection, as separate processes have, on one shared clock.
    func hour(consoles: Int) async throws -> Hour {
        var result = Hour(requests: 0, throttled: 0, standingBy: 0)
        let zone = RunningSandbox.practiceZone
        let nine = ClinicDay.day.adding(minutes: 9 * 60).date(in: zone)
        try await withSandbox({
            $0.size = .practice
            $0.limitsEnabled = true
            $0.activity = .day
            $0.startTime = nine
        }) { sandbox in
            try await sandbox.freezeClock()
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-test-\(UUID().uuidString)")
            let loader = try await LoggedInClient.make(sandbox, root: root, time: SandboxTime(sandbox))
            let path = loader.profile.file("mirror.sqlite").path
            let loaded = try MirrorDatabase.open(at: path)
            // Loaded as `chronoterm sync --once` loads it (the mirror's identity first).
            _ = try await SyncEngine(mirror: loaded, client: loader.client, timeZone: zone, time: SandboxTime(sandbox), lookback: 30)
                .catchUp()
            let ten = nine.addingTimeInterval(3600)
            try await sandbox.advanceClock(by: ten.timeIntervalSince(try await sandbox.now()))
            _ = try await sandbox.admin("DELETE", "requests")

            let clock = SharedClock(sandbox, participants: consoles, now: ten)
            let standingBy = Counter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<consoles {
                    group.addTask {
                        let time = clock.time
                        let logged: LoggedInClient
                        let mirror: MirrorDatabase
                        do {
                            logged = try await LoggedInClient.make(sandbox, root: root, time: time, logIn: false)
                            mirror = try MirrorDatabase.open(at: path)
                        } catch {
                            // The others' clock must not wait for a console that never came.
                            await clock.leave()
                            throw error
                        }
                        let engine = SyncEngine(mirror: mirror, client: logged.client, timeZone: zone, time: time, lookback: 30)
                        let sync = ConsoleSync(
                            engine: engine, pusher: OutboxPusher(mirror: mirror, client: logged.client), client: logged.client,
                            mirror: mirror, time: time)
                        let heard = Counter()
                        await sync.run(until: ten.addingTimeInterval(3600)) { news in
                            if case .standingBy = news { heard.add() }
                        }
                        if heard.value > 0 { standingBy.add() }
                        await clock.leave()
                    }
                }
                try await group.waitForAll()
            }
            let counters = try await sandbox.adminJSON("requests")
            result.requests = counters.int("total") ?? 0
            result.throttled = counters["by_status"]?.objectValue?.int("429") ?? 0
            result.standingBy = standingBy.value
        }
        return result
    }

    @Test("an hour with six consoles open costs no more than 1.1 × an hour with one, with no 429: five stand by")
    func sixConsolesCostAsOne() async throws {
        let one = try await hour(consoles: 1)
        let six = try await hour(consoles: 6)
        #expect(one.requests > 50, "the one console keeps the practice fresh: \(one.requests) requests")
        #expect(Double(six.requests) <= 1.1 * Double(one.requests), "six consoles: \(six.requests), one: \(one.requests)")
        #expect(one.throttled == 0 && six.throttled == 0)
        #expect(six.standingBy == 5, "all but the lease's holder stood by")
    }
}

/// A count several tasks add to.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
