import DrChronoAPI
import Foundation
import Mirror
import SandboxHarness
import Sync
import Testing

/// A person's `:sync` on a shared profile: bounded, whoever presses it.
@Suite("A person's manual sync")
struct ManualSyncTests {
    actor Heard {
        var news: [ConsoleSync.News] = []
        func add(_ item: ConsoleSync.News) { news.append(item) }
    }

    @Test("35 presses of :sync spend one pass of today's schedule, not 35 passes of the practice")
    func bounded() async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            let mirror = try MirrorDatabase.open(at: logged.profile.file("mirror.sqlite").path)
            let engine = SyncEngine(mirror: mirror, client: logged.client, timeZone: RunningSandbox.practiceZone)
            _ = try await engine.catchUp()
            _ = try await sandbox.admin("DELETE", "requests")
            let sync = ConsoleSync(
                engine: engine, pusher: OutboxPusher(mirror: mirror, client: logged.client), client: logged.client, mirror: mirror)
            let heard = Heard()
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<35 { group.addTask { await sync.passNow { news in Task { await heard.add(news) } } } }
            }
            let requests = try await sandbox.adminJSON("requests").int("total") ?? -1
            #expect((1...3).contains(requests), "\(requests) requests for 35 presses")
        }
    }

    @Test("when the hour's background share is spent, :sync sends nothing and says until when")
    func spentHour() async throws {
        var policy = BudgetPolicy()
        policy.hourly = 90  // background may use 90 - 25 - 50 = 15
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox, policy: policy)
            let mirror = try MirrorDatabase.open(at: logged.profile.file("mirror.sqlite").path)
            for _ in 0..<16 { _ = try await logged.client.json(.get("/api/users/current"), priority: .interactive) }
            _ = try await sandbox.admin("DELETE", "requests")
            let engine = SyncEngine(mirror: mirror, client: logged.client, timeZone: RunningSandbox.practiceZone)
            let sync = ConsoleSync(
                engine: engine, pusher: OutboxPusher(mirror: mirror, client: logged.client), client: logged.client, mirror: mirror)
            let heard = Heard()
            await sync.passNow { news in Task { await heard.add(news) } }
            try await Task.sleep(for: .milliseconds(100))
            let news = await heard.news
            guard case .offline(.budgetExhausted(let resets))? = news.last else {
                Issue.record("heard \(news)")
                return
            }
            #expect(resets > Date() && resets.timeIntervalSince1970.truncatingRemainder(dividingBy: 3600) == 0, "the top of the next hour")
            #expect(try await sandbox.adminJSON("requests").int("total") == 0, "nothing sent")
        }
    }
}
