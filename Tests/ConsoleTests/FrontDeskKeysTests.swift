import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Mirror
import Testing

@Suite("The front desk's other jobs, driven by keys", .serialized)
struct FrontDeskKeysTests {
    @Test(
        "W opens tomorrow's worklist: visits to confirm with their phones, coverage flags; y confirms, m notes a message, x twice cancels")
    func confirmList() throws {
        let fixture = try PracticeFixture()
        try fixture.addTomorrow(notes: "bring list of medicines")
        let session = try fixture.session()
        session.press(.character("W"))
        guard case .confirmList(let list) = session.model.overlay else { Issue.record("no worklist"); return }
        #expect(list.summary == "1 to confirm · 1 without an eligibility check · 1 inactive · 2 visits")
        #expect(list.rows.map(\.appointment.id) == ["2001", "2002"], "the confirmed visit stays listed for its missing check")
        #expect(list.rows.map(\.coverageFlag) == ["coverage INACTIVE", "no eligibility check"])
        #expect(list.rows.first?.phones == ["(555) 010-9999"])

        session.press(.character("m"))
        session.press(.character("y"))
        let queued = try fixture.outbox()
        #expect(queued.map(\.kind) == [.appointmentUpdate, .appointmentUpdate])
        #expect(
            queued.first?.write.fields.string("notes") == "bring list of medicines\nLeft message 3/4 9:00 am",
            "the message is added, the notes kept")
        #expect(queued.last?.write.fields.string("status") == "Confirmed")
        guard case .confirmList(let after) = session.model.overlay else { Issue.record("the worklist closed"); return }
        #expect(after.rows.first?.appointment.status == "Confirmed" && after.summary.hasPrefix("0 to confirm"))

        session.press(.character("j"))
        session.press(.character("x"))
        #expect(try fixture.outbox().count == 2, "one x only asks")
        session.press(.character("x"))
        #expect(try fixture.outbox().last?.write.fields.string("status") == "Cancelled")

        // Armed, then any other key (one the list does not use): disarmed, as it says.
        session.press(.character("k"))
        session.press(.character("x"))
        session.press(.character("n"))
        #expect(session.model.message?.text == "Kept the visit: nothing was cancelled.")
        session.press(.character("x"))
        #expect(try fixture.outbox().count == 3, "x, n, x only asks again: nothing more is queued")
        session.press(.character("z"))

        // The chart of the patient whose coverage came back inactive says so.
        session.press(.escape)
        session.press(.character("/"))
        session.type("smith")
        session.press(.enter)
        #expect(session.model.chart.data?.eligibility?.summary == "coverage INACTIVE (Summit PPO, checked 3/4)")
    }

    @Test("c on a visit whose patient has a copay asks for it; Enter checks in and records it; \"not today\" checks in without it")
    func copayAtCheckIn() throws {
        let fixture = try PracticeFixture(extraPatients: [])
        try fixture.setCopay("30.00", patients: [100, 101])
        let session = try fixture.session()
        session.press(.character("c"))  // 9:00, Dr. Okonkwo's column is empty: to Dr. Patel's María López
        session.press(.character("l"))
        session.press(.character("c"))
        guard case .payment(let form) = session.model.overlay else {
            Issue.record("no copay form: \(String(describing: session.model.message))"); return
        }
        #expect(form.title == "Check in López, María — copay $30.00" && form.amount.text == "30.00")
        session.press(.tab)
        session.press(.tab)
        session.press(.right)  // Credit card
        session.press(.enter)
        let queued = try fixture.outbox()
        #expect(queued.map(\.kind) == [.appointmentUpdate, .paymentCreate])
        #expect(queued.last?.write.fields.string("amount") == "30.00" && queued.last?.write.fields.string("payment_method") == "CRDT")
        #expect(session.model.message?.text == "López, María: Checked In, copay $30.00 credit card taken — queued for DrChrono.")

        // The detail line says it is paid; the day's collections add up.
        #expect(session.model.schedule.data.paid["1001"] == 3000)
        session.press(.character("C"))
        guard case .collections(let list) = session.model.overlay else { Issue.record("no collections"); return }
        #expect(list.lines.last?.text == "Day total: 1 payment, $30.00")
        session.press(.escape)

        // Zoë O'Brien at 9:30: checked in without the copay.
        session.press(.character("j"))
        session.press(.character("j"))
        session.press(.character("c"))
        session.press(.right)  // not today
        session.press(.enter)
        #expect(try fixture.outbox().map(\.kind) == [.appointmentUpdate, .paymentCreate, .appointmentUpdate])
        #expect(session.model.message?.text == "O'Brien, Zoë: Checked In, copay not taken — queued for DrChrono.")
    }

    @Test("the slot finder: working hours (the office's, without a work schedule), visits, breaks and rooms respected; mornings only")
    func slotFinder() throws {
        let fixture = try PracticeFixture()
        var request = SlotFinder.Request(doctors: [1], office: nil, duration: 30, from: PracticeFixture.now)
        request.part = .mornings
        let slots = try fixture.mirror.pool.read { db in try SlotFinder.find(request, now: PracticeFixture.now, in: db) }
        // Dr. Patel: María López 9:00–9:30, Zoë O'Brien 9:30–10:15, lunch from 12:00.
        #expect(slots.prefix(6).map(\.start.clock) == ["10:15 am", "10:30 am", "10:45 am", "11:00 am", "11:15 am", "11:30 am"])
        #expect(slots.first?.room == 1 && slots[3].room == 2, "Exam 1 is taken at 11:00 by Dr. Okonkwo's visit")
        #expect(slots[6].start == LocalDateTime(year: 2026, month: 3, day: 5, hour: 8), "then the next morning")
        #expect(slots.count == 10)

        // A work schedule in DrChrono wins over the office's hours: Thursdays only, 2–4 pm.
        try fixture.mirror.pool.write { db in
            try MirrorWriter.store(
                [
                    [
                        "id": 5, "doctor": 1, "office": 10,
                        "work_days": [
                            [
                                "iso_weekday": "Thursday", "enabled": true,
                                "work_hours": [["start_time": "14:00", "end_time": "16:00", "enabled": true]],
                            ]
                        ],
                    ]
                ], as: .workSchedules, in: db)
        }
        request.part = .any
        let scheduled = try fixture.mirror.pool.read { db in try SlotFinder.find(request, now: PracticeFixture.now, in: db) }
        #expect(scheduled.first?.start == LocalDateTime(year: 2026, month: 3, day: 5, hour: 14))
        #expect(
            scheduled.allSatisfy {
                $0.start.weekday == 4 && $0.start.hour >= 14
                    && $0.start.adding(minutes: 30).hour * 60 + $0.start.adding(minutes: 30).minute <= 16 * 60
            })
    }

    @Test("f on a patient: the next free slot with a visit type, Enter on it opens the booking form filled; Enter books it")
    func findSlotAndBook() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session()
        session.press(.character("/"))
        session.type("wei")
        session.press(.escape)
        session.press(.character("f"))
        guard case .findSlot(let form) = session.model.overlay else { Issue.record("no find-slot form"); return }
        #expect(form.patient?.id == 103 && form.doctorIndex.map { form.doctors[$0].lastName } == "Okonkwo")
        session.press(.tab)
        session.press(.right)  // Follow-up, 15 minutes
        session.press(.enter)
        guard case .findSlot(let found) = session.model.overlay, let first = found.results?.first else {
            Issue.record("no slots: \(String(describing: session.model.overlay))"); return
        }
        #expect(found.field == .results && first.start.clock == "9:15 am" && first.room == 2, "Exam 1 is María López's until 9:30")
        session.press(.enter)
        guard case .booking(let booking) = session.model.overlay else { Issue.record("no booking form"); return }
        #expect(booking.time == first.start && booking.duration.text == "15" && booking.visitType?.name == "Follow-up")
        #expect(booking.room?.name == "Exam 2" && booking.reason.text == "Follow-up")
        session.press(.enter)
        let queued = try #require(try fixture.outbox().first)
        #expect(
            queued.write.fields.int("patient") == 103 && queued.write.fields.int("profile") == 8
                && queued.write.fields.int("exam_room") == 2)
        #expect(queued.write.fields.string("scheduled_time") == "2026-03-04T09:15:00")
    }

    @Test("A attaches a scan from the inbox: Tab completes the name (and names the document), Enter queues it; a text file is refused")
    func attachDocument() throws {
        let fixture = try PracticeFixture()
        let folder = fixture.folder.appendingPathComponent("inbox")
        try Data("%PDF-1.4\n%card\n".utf8).write(to: folder.appendingPathComponent("insurance-card.pdf"))
        try Data("not a scan".utf8).write(to: folder.appendingPathComponent("intake.txt"))
        let session = try fixture.session()
        session.press(.character("/"))
        session.type("smith")
        session.press(.escape)
        session.press(.character("A"))
        guard case .attach = session.model.overlay else { Issue.record("no attach form"); return }
        session.type("ins")
        session.press(.tab)
        guard case .attach(let completed) = session.model.overlay else { Issue.record("the form closed"); return }
        #expect(completed.path.text == "insurance-card.pdf")
        #expect(completed.description.text == "insurance card", "named after the file until the person types a name")
        session.press(.enter)
        #expect(session.model.overlay == nil, "\(String(describing: session.model.overlay))")
        let queued = try #require(try fixture.outbox().first)
        #expect(queued.kind == .documentCreate && queued.target == .patient(102))
        let file = try fixture.mirror.pool.read { db in try Outbox.file(of: queued.seq, in: db) }
        #expect(file?.name == "insurance-card.pdf" && file?.contentType == "application/pdf" && file?.bytes.count == 15)
        // The search says whose chart holds documents: James Smith's now one.
        #expect(session.model.search.results.first { $0.patient.id == 102 }?.documents == 1)

        session.press(.character("A"))
        session.type("intake.txt")
        session.press(.down)
        session.type("Intake form")
        session.press(.enter)
        guard case .attach(let refused) = session.model.overlay else { Issue.record("the form closed on a text file"); return }
        #expect(refused.problems.first?.message.contains("is not a PDF or an image") == true)
        #expect(try fixture.outbox().count == 1)
    }

    @Test("the attach form: a second Tab on a whole name moves on; completing to another file renames a description the file gave")
    func attachTabMovesOn() throws {
        let fixture = try PracticeFixture()
        let folder = fixture.folder.appendingPathComponent("inbox")
        for name in ["insurance-card.pdf", "intake-form.pdf"] { try Data("%PDF-1.4\n".utf8).write(to: folder.appendingPathComponent(name)) }
        let session = try fixture.session()
        session.press(.character("/"))
        session.type("smith")
        session.press(.escape)
        session.press(.character("A"))
        session.type("ins")
        session.press(.tab)
        guard case .attach(let first) = session.model.overlay else { Issue.record("no attach form"); return }
        #expect(first.path.text == "insurance-card.pdf" && first.field == .file && first.description.text == "insurance card")
        // Back to change the file: the description the first name gave follows the second.
        for _ in 0..<"insurance-card.pdf".count { session.press(.backspace) }
        session.type("inta")
        session.press(.tab)
        guard case .attach(let second) = session.model.overlay else { Issue.record("the form closed"); return }
        #expect(second.path.text == "intake-form.pdf" && second.description.text == "intake form", "\(second.description.text)")
        session.press(.tab)
        guard case .attach(let moved) = session.model.overlay else { Issue.record("the form closed"); return }
        #expect(moved.field == .description, "Tab on a whole name goes on to the description")
        // A description the person typed is theirs: a later completion keeps it.
        for _ in 0..<"intake form".count { session.press(.backspace) }
        session.type("Card, front")
        session.press(.backTab)
        for _ in 0..<"intake-form.pdf".count { session.press(.backspace) }
        session.type("ins")
        session.press(.tab)
        guard case .attach(let kept) = session.model.overlay else { Issue.record("the form closed"); return }
        #expect(kept.path.text == "insurance-card.pdf" && kept.description.text == "Card, front")
    }

    @Test("attaching reads only the inbox: paths, ../, dot-files and links placed there are refused, and Tab lists none of them")
    func attachStaysInTheInbox() throws {
        let fixture = try PracticeFixture()
        let inbox = fixture.folder.appendingPathComponent("inbox")
        let outside = fixture.folder.appendingPathComponent("secret.pdf")
        try Data("%PDF-1.4\n%secret\n".utf8).write(to: outside)
        try Data("%PDF-1.4\n%hidden\n".utf8).write(to: inbox.appendingPathComponent(".hidden.pdf"))
        try FileManager.default.createSymbolicLink(atPath: inbox.appendingPathComponent("link.pdf").path, withDestinationPath: outside.path)
        try FileManager.default.createDirectory(at: inbox.appendingPathComponent("sub.pdf"), withIntermediateDirectories: true)
        let session = try fixture.session()
        session.press(.character("/"))
        session.type("smith")
        session.press(.escape)
        for typed in [outside.path, "../secret.pdf", "~/secret.pdf", ".hidden.pdf", "link.pdf", "sub.pdf"] {
            session.press(.character("A"))
            session.type(typed)
            session.press(.enter)
            guard case .attach(let refused) = session.model.overlay else { Issue.record("\(typed) was attached"); return }
            #expect(!refused.problems.isEmpty, "\(typed) was not refused")
            session.press(.escape)
        }
        #expect(try fixture.outbox().isEmpty, "nothing was queued")
        session.press(.character("A"))
        session.press(.tab)
        guard case .attach(let listed) = session.model.overlay else { Issue.record("no form"); return }
        #expect(listed.candidates.isEmpty && listed.path.text.isEmpty, "Tab listed \(listed.candidates) \(listed.path.text)")
        session.press(.escape)

        // No inbox set: attaching is off, and says who turns it on.
        var model = session.model
        model.folders.inbox = nil
        let off = try ConsoleSession(model: model, mirror: fixture.mirror, timeZone: PracticeFixture.zone)
        off.press(.character("A"))
        #expect(off.model.overlay == nil && off.model.message?.text == PersonFolders.attachingOff)
    }
}
