import DrChronoAPI
import DrChronoSandbox
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Sync
import Testing

/// A practice too big to read through one bulk list within the hour DrChrono keeps it
/// (a `large` practice's million appointments at 500 requests an hour): the load must
/// finish, not begin the same list again every hour.
@Suite("A load longer than a bulk list's hour")
struct LongLoadTests {
    struct GaveUp: Error {}

    /// The sandbox clock, moved by the budget's waits; a load still going after
    /// `days` of it has begun its lists again and again, and is stopped.
    struct BoundedTime: TimeSource {
        let inner: SandboxTime
        let deadline: Date
        func now() async -> Date { await inner.now() }
        func sleep(seconds: TimeInterval) async throws {
            if await now() > deadline { throw GaveUp() }
            try await inner.sleep(seconds: seconds)
        }
    }

    /// Loads the practice on the sandbox clock; answers the fixture and the scopes of
    /// the appointments' and notes' load jobs, with the requests the load spent.
    func load(_ sandbox: RunningSandbox, policy: BudgetPolicy, bulkRowLimit: Int?) async throws -> (SyncFixture, [String], Int) {
        try await sandbox.freezeClock()
        let time = BoundedTime(inner: SandboxTime(sandbox), deadline: try await sandbox.now().addingTimeInterval(3 * 86400))
        let logged = try await LoggedInClient.make(sandbox, time: time, policy: policy)
        let mirror = try MirrorDatabase.open(at: logged.profile.file("mirror.sqlite").path)
        let engine = SyncEngine(
            mirror: mirror, client: logged.client, timeZone: RunningSandbox.practiceZone, time: time, lookback: 30,
            bulkRowLimit: bulkRowLimit)
        _ = try await sandbox.admin("DELETE", "requests")
        try await engine.load()
        let requests = try #require(try await sandbox.adminJSON("requests").int("total"))
        let scopes = try await mirror.pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT resource || ' ' || scope FROM sync_state WHERE scope LIKE '%@%' AND loaded = 1 ORDER BY 1")
        }
        return (SyncFixture(logged: logged, mirror: mirror, engine: engine), scopes, requests)
    }

    func expectMirrorEqualsSandbox(_ fixture: SyncFixture, _ sandbox: RunningSandbox) async throws {
        #expect(try await fixture.engine.isLoaded())
        // A load that ran past midnight read the eligibility checks of days now gone, and
        // the first day of its month of payments and lab orders: the daemon's next pass of
        // each follows the day, as here.
        _ = try await fixture.engine.pass([.eligibilityChecks, .patientPayments, .labOrders])
        for resource in MirrorResource.allCases {
            #expect(try await fixture.ids(resource) == (try await sandboxIds(sandbox, resource)), "\(resource)")
        }
    }

    @Test("a bulk list that expires while it is read (6 requests an hour) is read in parts; the load finishes, the mirror whole")
    func expiredListsAreSplit() async throws {
        try await withSandbox({ $0.size = .practice }) { sandbox in
            var policy = BudgetPolicy()
            policy.hourly = 6
            policy.interactiveReserve = 0
            policy.writeReserve = 0
            // No limit by count: only the expiry can split a list.
            let (fixture, scopes, _) = try await load(sandbox, policy: policy, bulkRowLimit: .max)
            try await expectMirrorEqualsSandbox(fixture, sandbox)
            // The schedule (20 pages) was cut in date ranges, the notes (11 pages: at
            // most 12 requests in a list's hour at 6 an hour) by doctor.
            #expect(scopes.contains { $0.hasPrefix("appointments schedule@") }, "\(scopes)")
            #expect(scopes.contains { $0.hasPrefix("clinical_notes all@doctor=") }, "\(scopes)")
        }
    }

    @Test("a bulk list longer than an hour's share is split when its first page says so, before it is read")
    func longListsAreSplitUpFront() async throws {
        try await withSandbox({ $0.size = .practice }) { sandbox in
            // The practice's schedule is 19,746 appointments; 15,000 rows a list splits it and no other.
            let (fixture, scopes, requests) = try await load(sandbox, policy: BudgetPolicy(), bulkRowLimit: 15_000)
            try await expectMirrorEqualsSandbox(fixture, sandbox)
            let schedule = scopes.filter { $0.hasPrefix("appointments schedule@") }
            #expect(!schedule.isEmpty)
            #expect(!scopes.contains { !$0.hasPrefix("appointments ") }, "the other lists fit: \(scopes)")
            // Each part costs at most its POST, a poll and one page more than its rows
            // need (the first page of a part that splits again); the whole load beyond
            // the 113 requests of one schedule list (the practice's lists, the month's payments,
            // the day's eligibility and voids, two pages of fee schedules, the billing
            // profiles, the month's lab orders and the results of today's patients', the
            // results entered in charts) is three a part at most.
            #expect(requests <= 113 + 3 * schedule.count, "\(requests) requests for \(schedule.count) parts")
        }
    }
}
