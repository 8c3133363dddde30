import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Mirror
import Terminal
import Testing

/// Every pane drawn from a session on the fixture practice, compared with the screen
/// kept in Fixtures/ (run with UPDATE_GOLDENS=1 to write them anew, then review the diff).
@Suite("Golden screens")
struct GoldenScreenTests {
    static let width = 100, height = 30

    func render(_ session: ConsoleSession, ascii: Bool = false, width: Int = width, height: Int = height) -> CellBuffer {
        session.resize(width: width, height: height)
        return ConsoleView.render(session.model, width: width, height: height, glyphs: ascii ? .ascii : .unicode, asciiOnly: ascii)
    }

    func matchGolden(_ name: String, _ buffer: CellBuffer, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try GoldenFile.match(name, buffer, sourceLocation: sourceLocation)
    }

    @Test("schedule: a day by doctor, a break shaded, statuses in letters, the slot under the cursor described")
    func scheduleDay() throws {
        let session = try PracticeFixture().session()
        session.press(.character("l"))
        let screen = render(session)
        try matchGolden("schedule-day", screen)
        // The cursor's cell is drawn in the cursor style; María López's in the arrived style elsewhere.
        let row = screen.lines.firstIndex { $0.hasPrefix(" 9:00 am") }!
        #expect(screen[ConsoleLayout.gutter + 46, row].style == .cursor)
    }

    @Test("schedule: the week view and the exam-room columns")
    func scheduleWeekAndRooms() throws {
        let session = try PracticeFixture().session()
        session.press(.character("l"))
        session.press(.character("w"))
        try matchGolden("schedule-week", render(session, width: 140))
        session.press(.character("r"))
        try matchGolden("schedule-rooms", render(session))
    }

    @Test("schedule with a queued write marked, and the detail line saying it waits for DrChrono")
    func schedulePending() throws {
        let session = try PracticeFixture().session()
        session.press(.character("l"))
        session.press(.character("c"))
        // The screen as it is once the "queued" message has cleared.
        var model = session.model
        model.message = nil
        try matchGolden(
            "schedule-pending", ConsoleView.render(model, width: Self.width, height: Self.height, glyphs: .unicode, asciiOnly: false))
    }

    @Test("patient search with results")
    func search() throws {
        let session = try PracticeFixture().session()
        session.press(.character("/"))
        session.type("o")
        try matchGolden("search", render(session))
    }

    @Test("note viewer: a signed note and the problem list")
    func notes() throws {
        let session = try PracticeFixture().session()
        session.press(.character("/"))
        session.type("lopez")
        session.press(.enter)
        try matchGolden("notes", render(session))
        session.press(.character("]"))
        try matchGolden("notes-problems", render(session))
    }

    @Test("billing: the day's visits, a visit's line items and total, and the form with its problems")
    func billing() throws {
        let session = try PracticeFixture().session(role: .billing)
        try matchGolden("billing", render(session))
        session.press(.character("a"))
        session.type("9921")
        session.press(.enter)
        try matchGolden("billing-form", render(session))
    }

    @Test("help for the schedule, and the booking form")
    func overlays() throws {
        let session = try PracticeFixture().session()
        session.press(.character("?"))
        try matchGolden("help-schedule", render(session, width: 120, height: 40))
        session.press(.escape)
        session.press(.character("b"))
        session.type("smith")
        session.press(.enter)
        try matchGolden("booking-form", render(session))
    }

    @Test(
        "the front desk's forms and lists: new patient, copay at check-in, collections, tomorrow's worklist, next free slot, attach a scan")
    func frontDeskJobs() throws {
        let fixture = try PracticeFixture()
        try fixture.setCopay("25.00", patients: [100])
        try fixture.addTomorrow(second: 100, status: "Not Confirmed")
        let session = try fixture.session(folders: PersonFolders(inbox: PersonFolder(path: "/srv/practice/inbox")))
        session.press(.character("N"))
        session.type("Odalys")
        session.press(.tab)
        session.type("Vantongeren")
        session.press(.tab)
        session.type("3/14/1979")
        session.press(.tab)
        session.press(.right)
        try matchGolden("new-patient-form", render(session, width: 120, height: 40))
        session.press(.escape)

        session.press(.character("l"))  // Dr. Patel, 9:00: María López, copay $25
        session.press(.character("c"))
        try matchGolden("copay-at-check-in", render(session))
        session.press(.enter)
        session.press(.character("C"))
        try matchGolden("collections", render(session))
        session.press(.escape)

        session.press(.character("W"))
        try matchGolden("confirm-list", render(session, width: 120, height: 40))
        session.press(.escape)

        session.press(.character("f"))
        session.press(.tab)
        session.press(.right)
        session.press(.enter)
        try matchGolden("find-slot", render(session))
        session.press(.escape)

        session.press(.character("/"))
        session.type("smith")
        session.press(.escape)
        session.press(.character("A"))
        session.type("insurance-card.pdf")
        session.press(.down)
        session.type("Insurance card, front")
        try matchGolden("attach-document", render(session))
    }

    @Test("the biller's code lookup and day totals; the clinician's day, labs and vitals (the README's screens)")
    func billerAndClinician() throws {
        let fixture = try PracticeFixture()
        try fixture.addDayOfBilling()
        try fixture.addLabsAndVitals()
        let biller = try fixture.session(role: .billing)
        biller.press(.character("a"))
        biller.type("99213")
        for _ in 0..<5 { biller.press(.tab) }
        biller.type("essential hypertension")
        try matchGolden("billing-code-lookup", render(biller))
        biller.press(.escape)
        biller.press(.escape)
        biller.press(.character("T"))
        try matchGolden("day-totals", render(biller, width: 120))

        let clinician = try fixture.clinicianSession()
        clinician.press(.character("D"))
        try matchGolden("my-day", render(clinician, width: 120))
        clinician.press(.enter)
        for _ in 0..<4 { clinician.press(.character("]")) }
        try matchGolden("chart-labs", render(clinician, width: 120))
        clinician.press(.character("]"))
        try matchGolden("chart-vitals", render(clinician, width: 120))
    }

    @Test("ASCII only (LANG=C, vt100): borders in ASCII, accents dropped, wide characters as ??")
    func asciiOnly() throws {
        let session = try PracticeFixture().session()
        let screen = render(session, ascii: true)
        try matchGolden("schedule-ascii", screen)
        #expect(screen.cells.allSatisfy { $0.text.allSatisfy(\.isASCII) })
    }

    @Test(
        "ASCII only: letters with no accent to drop are spelled in Latin, not shown as ?",
        arguments: [("Łukasz Wałęsa", "Lukasz Walesa"), ("Søren Ødegård", "Soren Odegard"), ("Straße", "Strasse"), ("李", "??")])
    func asciiLetters(name: String, shown: String) {
        #expect(TerminalText.ascii(name) == shown)
    }

    @Test("the status bar says what is true: offline, writes wait; a full disk, nothing new is kept (not that writes wait)")
    func statusBarTruth() throws {
        let session = try PracticeFixture().session()
        session.receive(
            SyncNews(user: "frontdesk", sync: .offline("DrChrono unreachable"), lastSync: nil, budgetLeft: nil, budgetHourly: nil))
        var bar = render(session).lines.last ?? ""
        #expect(bar.contains("OFFLINE — DrChrono unreachable; writes wait in the queue"), "\(bar)")
        session.receive(
            SyncNews(user: "frontdesk", sync: .cannotSave("the disk is full"), lastSync: nil, budgetLeft: nil, budgetHourly: nil))
        bar = render(session, width: 140).lines.last ?? ""
        #expect(bar.contains("NOT SAVING — the disk is full: free space"), "\(bar)")
        #expect(!bar.contains("writes wait") && !bar.contains("OFFLINE"), "\(bar)")
        // The hour spent is not DrChrono unreachable: the bar says which, and until when.
        session.receive(SyncNews(user: "frontdesk", sync: .hourSpent(until: "3:00 pm"), lastSync: nil, budgetLeft: 0, budgetHourly: 500))
        bar = render(session, width: 160).lines.last ?? ""
        #expect(bar.contains("The practice's requests for this hour are spent until 3:00 pm"), "\(bar)")
        #expect(!bar.contains("OFFLINE") && !bar.contains("unreachable"), "\(bar)")
    }

    @Test("the status bar says how old today's schedule is, whichever chronoterm of the practice syncs it")
    func scheduleAge() throws {
        let session = try PracticeFixture().session()
        let clock = session.model.clock
        session.receive(
            SyncNews(
                user: "frontdesk", sync: .idle, lastSync: clock, budgetLeft: 431, budgetHourly: 500,
                scheduleAsOf: clock.addingTimeInterval(-12)))
        var bar = render(session).lines.last ?? ""
        #expect(bar.contains("schedule <1m old"), "\(bar)")
        session.receive(
            SyncNews(
                user: "frontdesk", sync: .elsewhere, lastSync: nil, budgetLeft: 431, budgetHourly: 500,
                scheduleAsOf: clock.addingTimeInterval(-150)))
        bar = render(session, width: 140).lines.last ?? ""
        #expect(bar.contains("schedule 2m old, synced by another chronoterm"), "\(bar)")
    }

    @Test("a window too small says so, and what size it needs")
    func tooSmall() throws {
        let session = try PracticeFixture().session()
        let screen = render(session, width: 50, height: 12)
        #expect(screen.lines.contains("It needs 60×16; it is 50×12."))
    }
}
