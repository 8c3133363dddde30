import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Testing

@Suite(":sync at the console")
struct SyncKeysTests {
    func command(_ session: ConsoleSession, _ text: String) {
        session.press(.character(":"))
        session.type(text)
        session.press(.enter)
    }

    @Test(":sync says how fresh the copy is instead of syncing a fresh one, waits for one under way, and syncs an old one")
    func bounded() throws {
        let session = try PracticeFixture().session()
        let tally = Tally<Void>()
        session.services.syncNow = { tally.add(()) }
        var asked: Int { tally.count }
        let now = session.model.clock
        session.receive(SyncNews(user: "frontdesk", sync: .idle, lastSync: now.addingTimeInterval(-5), budgetLeft: 400, budgetHourly: 500))
        command(session, "sync")
        #expect(asked == 0 && session.model.message?.text.hasPrefix("Today's schedule is 5 s old: nothing to fetch yet") == true)
        session.receive(SyncNews(user: "frontdesk", sync: .working("syncing…"), lastSync: nil, budgetLeft: 400, budgetHourly: 500))
        command(session, "sync")
        #expect(asked == 0 && session.model.message?.text == "A sync is already under way.")
        session.receive(SyncNews(user: "frontdesk", sync: .elsewhere, lastSync: nil, budgetLeft: 400, budgetHourly: 500))
        command(session, "sync")
        #expect(asked == 0)
        session.receive(
            SyncNews(user: "frontdesk", sync: .idle, lastSync: now.addingTimeInterval(-120), budgetLeft: 400, budgetHourly: 500))
        command(session, "sync")
        #expect(asked == 1)
    }
}
