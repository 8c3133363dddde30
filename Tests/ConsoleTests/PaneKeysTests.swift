import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Mirror
import Testing

@Suite("Patient search, notes and billing, driven by keys")
struct PaneKeysTests {
    @Test("search as you type: either name order, accents and case folded, chart id, birth date, phone")
    func searchAsYouType() throws {
        let session = try PracticeFixture().session()
        session.press(.character("/"))
        for (typed, expected) in [
            ("lopez", "López, María"), ("MARIA LO", "López, María"), ("zoe o", "O'Brien, Zoë"), ("obrien", "O'Brien, Zoë"),
            ("SMJA", "Smith, James"), ("5/17/1985", "López, María"), ("1990-12-01", "O'Brien, Zoë"), ("555 010 5678", "O'Brien, Zoë"),
        ] {
            session.press(.control("u"))
            session.type(typed)
            #expect(session.model.search.results.first?.name == expected, "typing \(typed)")
        }
        session.press(.control("u"))
        session.type("lóp")
        let row = try #require(session.model.search.selectedRow)
        #expect(row.age(on: PracticeFixture.now) == 40)
        #expect(row.next == LocalDateTime(year: 2026, month: 3, day: 11, hour: 9))
        #expect(row.phone == "(555) 010-1234")
    }

    @Test("Enter opens the chart: notes newest first, sections with field names, locked shown; find inside the note")
    func noteViewer() throws {
        let session = try PracticeFixture().session()
        session.press(.character("/"))
        session.type("lopez")
        session.press(.enter)
        #expect(session.model.pane == .notes)
        let chart = session.model.chart
        #expect(chart.data?.notes.map(\.id) == [5001, 5002])
        #expect(chart.bodyLines.first == "Visit 3/4/2026 · Locked (signed)")
        #expect(chart.bodyLines.contains("  Chief Complaint: Headache for three days"))
        session.press(.character("/"))
        session.type("hypertension")
        session.press(.enter)
        #expect(session.model.chart.matchLines.count == 1)
        #expect(session.model.message?.text == "'hypertension': 1 of 1")
        session.press(.character("j"))
        #expect(session.model.chart.bodyLines.first == "Visit 2/2/2026 · Unlocked (draft)")
        session.press(.character("]"))
        #expect(session.model.chart.section == .problems)
        #expect(session.model.chart.rowCount == 1)
        session.press(.escape)
        #expect(session.model.pane == .search)
    }

    @Test("b on a search result books that patient into the slot picked next")
    func bookForPatient() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session()
        session.press(.character("/"))
        session.type("wei")
        session.press(.escape)
        session.press(.character("b"))
        #expect(session.model.pane == .schedule)
        #expect(session.model.schedule.bookingFor?.id == 103)
        session.press(.character("j"))  // 9:15 with Dr. Okonkwo
        session.press(.enter)
        guard case .booking(let form) = session.model.overlay else { Issue.record("no form"); return }
        #expect(form.patient.name == "李, Wei")
        #expect(form.time == LocalDateTime(year: 2026, month: 3, day: 4, hour: 9, minute: 15))
    }

    @Test("billing: a visit's line items and total; the form explains what is wrong, inline, then adds")
    func billingEntry() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session(role: .billing)
        #expect(session.model.pane == .billing)
        #expect(session.model.billing.selectedVisit?.id == "1001")
        #expect(session.model.billing.totalCents == 12_500)
        session.press(.character("a"))
        session.type("9921")
        session.press(.tab); session.press(.tab)
        session.type("25")
        session.press(.tab); session.press(.tab)
        session.type("abc")
        session.press(.enter)
        guard case .charge(let first) = session.model.overlay else { Issue.record("form closed"); return }
        // Everything wrong at once, not in rounds: the price, the code, the missing diagnosis.
        #expect(first.problems.first?.message == "Enter a price in dollars, as 125 or 125.50, up to $99,999,999.99.")
        #expect(first.problems.contains { $0.field == "code" })
        #expect(first.problems.contains { $0.message == "Add at least one diagnosis (ICD-10), as I10." })
        session.press(.control("u"))
        session.type("95.50")
        session.press(.enter)
        guard case .charge(let second) = session.model.overlay else { Issue.record("form closed"); return }
        #expect(second.problems.contains { $0.field == "code" } && !second.problems.contains { $0.field == "price" })
        session.press(.tab)
        session.type("I10")
        for _ in 0..<5 { session.press(.backTab) }
        session.press(.control("u"))
        session.type("99214")
        session.press(.enter)
        #expect(session.model.overlay == nil)
        #expect(session.model.billing.lineItems.map(\.code) == ["99213", "99214"])
        #expect(session.model.billing.totalCents == 22_050)
        #expect(BillingModel.money(session.model.billing.totalCents) == "$220.50")
        #expect(BillingModel.money(431_900) == "$4,319.00" && BillingModel.money(123_456_789) == "$1,234,567.89")
        #expect(BillingModel.money(-100_000) == "-$1,000.00" && BillingModel.money(99_999) == "$999.99")
        #expect(try fixture.outbox().map(\.kind) == [.lineItemCreate])
    }

    @Test("Tab and 1–4 switch panes; Esc goes back; ? opens help for the pane")
    func panes() throws {
        let session = try PracticeFixture().session()
        session.press(.tab)
        #expect(session.model.pane == .search)
        session.press(.escape)  // stop typing
        session.press(.character("4"))
        #expect(session.model.pane == .billing)
        session.press(.escape)
        #expect(session.model.pane == .search)
        session.press(.character("?"))
        #expect(session.model.overlay == .help())
        session.press(.character("x"))
        #expect(session.model.overlay == nil)
    }

    @Test("short messages clear themselves")
    func messagesExpire() throws {
        let session = try PracticeFixture().session()
        session.press(.character("l"))
        session.press(.character("b"))
        #expect(session.model.message != nil)
        let shown = session.model.clock
        session.tick(clock: shown.addingTimeInterval(3))
        #expect(session.model.message != nil)
        session.tick(clock: shown.addingTimeInterval(6))
        #expect(session.model.message == nil)
    }

    @Test("after the idle time the screen locks; only the passphrase unlocks it; the trail records both")
    func idleLock() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session(lockAfter: 300)
        session.services.unlock = { $0 == "correct horse" ? .unlocked : .wrong }
        let start = Date(timeIntervalSince1970: 1_772_636_400)
        session.press(.character("j"), at: start)
        session.tick(clock: start.addingTimeInterval(299))
        #expect(!session.model.locked)
        session.tick(clock: start.addingTimeInterval(300))
        #expect(session.model.locked)
        session.type("1")  // would switch panes; locked, it is typed at the lock
        #expect(session.model.pane == .schedule)
        session.press(.enter)
        #expect(session.model.locked)
        #expect(session.model.unlockError == "That is not this profile's passphrase.")
        session.type("correct horse")
        session.press(.enter, at: Date().addingTimeInterval(2))  // past the second a wrong try waits
        #expect(!session.model.locked)
        let events = try fixture.mirror.pool.read { try AuditTrail.entries($0).map(\.event) }
        #expect(events.suffix(3) == ["lock", "unlock.failed", "unlock"])
    }

    @Test("21 guesses at the lock in 3 s: each wrong try doubles the wait, tries during it are not even checked, and all are audited")
    func lockBackOff() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session(lockAfter: 300)
        let tally = Tally<String>()
        session.services.unlock = { typed in
            tally.add(typed)
            return .wrong
        }
        var checked: Int { tally.count }
        let start = Date()
        session.press(.character("j"), at: start)
        session.tick(clock: start.addingTimeInterval(300))
        #expect(session.model.locked)
        for n in 0..<21 {
            let at = start.addingTimeInterval(300 + Double(n) * 0.15)
            for character in "guess\(n)" { session.press(.character(character), at: at) }
            session.press(.enter, at: at)
        }
        #expect(checked == 2, "only the tries after each wait are checked: \(checked)")
        #expect(session.model.unlockError?.hasPrefix("Too many wrong tries: wait") == true)
        // After the wait (2 s after the second wrong try), the next is checked again.
        for character in "again" { session.press(.character(character), at: start.addingTimeInterval(310)) }
        session.press(.enter, at: start.addingTimeInterval(310))
        #expect(checked == 3 && session.model.unlockFailures == 3)
        let failed = try fixture.mirror.pool.read { try AuditTrail.entries($0).filter { $0.event == "unlock.failed" }.count }
        #expect(failed == 3)
    }
}
