import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Testing

/// The schedule driven by keys, as a front desk uses it, against a real mirror.
@Suite("Schedule, driven by keys")
struct ScheduleKeysTests {
    @Test("opens on today with a column per doctor, the cursor on the current slot")
    func opensOnNow() throws {
        let session = try PracticeFixture().session()
        let schedule = session.model.schedule
        #expect(session.model.pane == .schedule)
        #expect(schedule.columns.map(\.title) == ["Dr. Okonkwo", "Dr. Patel"])
        #expect(schedule.selectedSlot?.time == PracticeFixture.now)
        // Dr. Patel's 9:00 is María López, checked in; the lunch break covers four slots.
        #expect(schedule.grid[1][4] == .start(schedule.data.appointments.firstIndex { $0.id == "1001" }!, others: 0))
        let lunch = schedule.data.appointments.firstIndex { $0.id == "1004" }!
        #expect((16...19).allSatisfy { schedule.grid[1][$0].appointmentIndex == lunch })
    }

    @Test("a doctor no live DrChrono login of the profile sees has their column marked as last read")
    func unseenDoctorsColumn() throws {
        let fixture = try PracticeFixture()
        // The last sync read through one office's login, which sees Dr. Okonkwo alone.
        let okonkwo = try #require(try fixture.mirror.pool.read { db in try MirrorQueries.doctors(db) }.first { $0.lastName == "Okonkwo" })
        try fixture.mirror.pool.write { db in try SyncBookmark.adopt(readers: [(name: "north", doctors: [okonkwo.id])], in: db) }
        let session = try fixture.session()
        #expect(session.model.schedule.columns.map(\.title) == ["Dr. Okonkwo", "Dr. Patel (as last read)"])
    }

    @Test("a visit booked where a cancelled one sat wins the cell; v reaches the cancelled one, and v again the booking")
    func liveVisitWinsItsCell() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session()
        // Dr. Okonkwo's 2:00 pm: Müller's visit, cancelled. The slot finder offers it as free.
        for _ in 0..<40 where session.model.schedule.selectedSlot?.time.hour != 14 { session.press(.character("j")) }
        #expect(session.model.schedule.selectedAppointment?.id == "1006")
        var request = SlotFinder.Request(
            doctors: [2], office: 10, duration: 30, from: LocalDateTime(year: 2026, month: 3, day: 4, hour: 14, minute: 0))
        request.limit = 40
        let offered = try fixture.mirror.pool.read { db in try SlotFinder.find(request, now: PracticeFixture.now, in: db) }
        #expect(offered.contains { $0.start == LocalDateTime(year: 2026, month: 3, day: 4, hour: 14, minute: 0) }, "\(offered)")
        let booked = try fixture.mirror.pool.write { db in
            try Outbox.book(
                Outbox.Booking(
                    doctor: 2, office: 10, examRoom: 1, patient: 101, scheduledTime: LocalDateTime(year: 2026, month: 3, day: 4, hour: 14),
                    duration: 30), in: db, now: PracticeFixture.now)
        }
        session.reload(.schedule)
        let schedule = session.model.schedule
        #expect(schedule.selectedAppointment?.id == booked, "the new booking shows, not the cancelled visit")
        #expect(schedule.selectedCell == .start(schedule.data.appointments.firstIndex { $0.id == booked }!, others: 1))
        session.press(.character("v"))
        #expect(session.model.schedule.selectedAppointment?.id == "1006")
        #expect(session.model.message?.text.hasPrefix("Visit 2 of 2 in this slot") == true)
        session.press(.character("v"))
        #expect(session.model.schedule.selectedAppointment?.id == booked)
        session.press(.character("v"))
        session.press(.character("k"))
        session.press(.character("j"))
        #expect(session.model.schedule.selectedAppointment?.id == booked, "moving away and back shows the live one again")
    }

    @Test("b on an empty slot, a name, Enter, Enter: the booking is queued and shown at once")
    func bookFromEmptySlot() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session()
        session.press(.character("b"))
        #expect(session.model.pane == .search)
        session.type("smith")
        #expect(session.model.search.results.map(\.name) == ["Smith, James"])
        session.press(.enter)
        guard case .booking(let form) = session.model.overlay else { Issue.record("no booking form"); return }
        #expect(form.doctor?.lastName == "Okonkwo")
        #expect(form.room?.name == "Exam 2")  // Exam 1 has María López at 9:00
        session.press(.enter)
        #expect(session.model.overlay == nil)
        #expect(session.model.message?.text.hasPrefix("Booked Smith, James with Dr. Okonkwo at 9:00 am") == true)
        let queued = try fixture.outbox()
        #expect(queued.map(\.kind) == [.appointmentCreate])
        #expect(queued.first?.write.fields.int("patient") == 102)
        #expect(queued.first?.write.fields.string("scheduled_time") == "2026-03-04T09:00:00")
        let shown = try #require(session.model.schedule.selectedAppointment)
        #expect(shown.patient == 102)
        #expect(session.model.schedule.data.marks[shown.id]?.state == .pending)
        #expect(session.model.status.queued == 1)
    }

    @Test("a slot free for 15 minutes books 15 by default; 30 typed overlaps, is explained, and goes ahead only on a second Enter")
    func overlapNeedsSecondEnter() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session()
        session.press(.character("j"))  // 9:15, Dr. Okonkwo: free, but 30 minutes runs into nothing…
        for _ in 0..<2 { session.press(.character("j")) }  // 9:45: 30 minutes would run into James Smith at 10:00
        session.press(.character("b"))
        session.type("muller")
        session.press(.enter)
        guard case .booking(let offered) = session.model.overlay else { Issue.record("no booking form"); return }
        #expect(offered.duration.text == "15" && offered.freeMinutes == 15, "the default fits the free slot")
        session.press(.tab)  // the duration
        session.press(.backspace)
        session.press(.backspace)
        session.type("30")
        session.press(.enter)
        guard case .booking(let form) = session.model.overlay else { Issue.record("the form closed on a warning"); return }
        #expect(form.problems.contains { $0.message.contains("Dr. Okonkwo already has James Smith at 10:00 am") })
        #expect(try fixture.outbox().isEmpty)
        session.press(.enter)
        #expect(session.model.overlay == nil)
        #expect(try fixture.outbox().first?.write.fields.bool("allow_overlapping") == true)
    }

    @Test("a visit type fills duration and reason; another doctor's types are not offered; the booking carries the type")
    func visitTypes() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session()
        for _ in 0..<6 { session.press(.character("j")) }  // 10:30, Dr. Okonkwo: free until 11:00
        session.press(.character("b"))
        session.type("muller")
        session.press(.enter)
        guard case .booking(let opened) = session.model.overlay else { Issue.record("no booking form"); return }
        #expect(opened.field == .visitType && opened.visitType == nil && opened.duration.text == "30")
        #expect(opened.offeredVisitTypes.map(\.name) == ["Follow-up", "New patient"], "Dr. Patel's own type is not Dr. Okonkwo's")
        session.press(.right)
        guard case .booking(let followUp) = session.model.overlay else { Issue.record("the form closed"); return }
        #expect(followUp.duration.text == "15" && followUp.reason.text == "Follow-up")
        session.press(.right)
        guard case .booking(let newPatient) = session.model.overlay else { Issue.record("the form closed"); return }
        #expect(
            newPatient.duration.text == "45" && newPatient.reason.text == "New patient visit", "the type's reason replaces the last type's")
        session.press(.left)
        session.press(.enter)
        #expect(session.model.overlay == nil, "\(String(describing: session.model.message))")
        let queued = try #require(try fixture.outbox().first)
        #expect(queued.write.fields.int("profile") == 8 && queued.write.fields.int("duration") == 15)
        #expect(queued.write.fields.string("color") == "#33AA66" && queued.write.fields.string("reason") == "Follow-up")
    }

    @Test("a taken slot is refused with who has it")
    func takenSlot() throws {
        let session = try PracticeFixture().session()
        session.press(.character("l"))  // Dr. Patel, 9:00: María López
        session.press(.character("b"))
        #expect(session.model.pane == .schedule)
        #expect(session.model.message?.text == "9:00 am is taken by López, María: choose an empty slot.")
    }

    @Test("c checks in; s picks a status by its letter; x asks before cancelling")
    func statusChanges() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session()
        session.press(.character("l"))
        session.press(.character("j")); session.press(.character("j"))  // 9:30 Zoë O'Brien
        #expect(session.model.schedule.selectedAppointment?.id == "1002")
        session.press(.character("c"))
        #expect(session.model.schedule.selectedAppointment?.status == "Checked In")
        session.press(.character("s"))
        session.press(.character("r"))  // R: In Room
        #expect(session.model.schedule.selectedAppointment?.status == "In Room")
        session.press(.character("x"))
        session.press(.character("n"))
        #expect(session.model.schedule.selectedAppointment?.status == "In Room")
        session.press(.character("x"))
        session.press(.character("y"))
        #expect(session.model.schedule.selectedAppointment?.status == "Cancelled")
        #expect(try fixture.outbox().map { $0.write.fields.string("status") } == ["Checked In", "In Room", "Cancelled"])
    }

    @Test("a question's and a picker's keys come from keys.toml: rebound, the old key does nothing and the new one answers")
    func reboundOverlayKeys() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session(
            keyMap: try KeyMap.load(
                """
                [dialog]
                confirm = "o"
                decline = "z"

                [global]
                down = ["J", "down"]
                """, name: "keys.toml"))
        session.press(.character("l"))
        session.press(.character("J")); session.press(.character("J"))  // 9:30 Zoë O'Brien
        #expect(session.model.schedule.selectedAppointment?.id == "1002")
        let statuses = AppointmentStatus.all.map(\.name)
        let next = statuses[((statuses.firstIndex(of: session.model.schedule.selectedAppointment?.status ?? "") ?? 0) + 1) % statuses.count]
        session.press(.character("s"))
        session.press(.character("j"))  // no longer down: j is not a status letter either
        session.press(.character("J"))  // the next status down the list
        session.press(.enter)
        #expect(session.model.schedule.selectedAppointment?.status == next)
        session.press(.character("x"))
        session.press(.character("y"))  // not an answer any more
        #expect(session.model.overlay != nil, "y no longer answers the question")
        session.press(.character("z"))
        #expect(session.model.overlay == nil)
        #expect(session.model.schedule.selectedAppointment?.status == next)
        session.press(.character("x"))
        session.press(.character("o"))
        #expect(session.model.schedule.selectedAppointment?.status == "Cancelled")
        #expect(try fixture.outbox().map { $0.write.fields.string("status") } == [next, "Cancelled"])
        #expect(session.model.keyMap.bound(in: .dialog).map(\.action) == [.confirm, .decline], "? lists them")
    }

    @Test("m, then Enter on another slot, moves the appointment there")
    func move() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session()
        session.press(.character("l"))
        session.press(.character("m"))
        for _ in 0..<24 { session.press(.character("j")) }  // 9:00 + 6 h = 3:00 pm
        session.press(.character("h"))  // Dr. Okonkwo's column
        session.press(.enter)
        let queued = try #require(try fixture.outbox().first)
        #expect(queued.write.fields.string("scheduled_time") == "2026-03-04T15:00:00")
        #expect(queued.write.fields.int("doctor") == 2)
        #expect(session.model.schedule.selectedAppointment?.id == "1001")
    }

    @Test("n, p, t and d move between days; a bad date is explained in the prompt")
    func days() throws {
        let session = try PracticeFixture().session()
        session.press(.character("n"))
        #expect(session.model.schedule.day == LocalDateTime(year: 2026, month: 3, day: 5))
        #expect(session.model.schedule.data.appointments.isEmpty)
        session.press(.character("t"))
        #expect(session.model.schedule.day == LocalDateTime(year: 2026, month: 3, day: 4))
        session.press(.character("d"))
        session.type("T+1W")
        session.press(.enter)
        #expect(session.model.schedule.day == LocalDateTime(year: 2026, month: 3, day: 11))
        #expect(session.model.schedule.data.appointments.map(\.id) == ["1007"])
        session.press(.character("d"))
        session.type("13/45")
        session.press(.enter)
        #expect(session.model.overlay == .goToDate(TextField("13/45", limit: 20), error: "there is no such day as 13/45"))
    }

    @Test("w shows the doctor's week; r puts a column per exam room")
    func weekAndRooms() throws {
        let session = try PracticeFixture().session()
        session.press(.character("l"))  // Dr. Patel
        session.press(.character("w"))
        let week = session.model.schedule
        #expect(week.columns.map(\.title) == ["Mon 3/2", "Tue 3/3", "Wed 3/4", "Thu 3/5", "Fri 3/6", "Sat 3/7", "Sun 3/8"])
        #expect(week.column == 2)
        #expect(Set(week.data.appointments.map(\.id)) == ["1001", "1002", "1004"])
        session.press(.character("r"))
        #expect(session.model.schedule.isWeek == false)
        #expect(session.model.schedule.columns.map(\.title) == ["Exam 1", "Exam 2"])
    }

    @Test("a clinician's profile reads but cannot queue a write")
    func readOnlyClinician() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session(role: .clinician)
        #expect(session.model.pane == .search)
        session.press(.escape)
        session.press(.character("1"))
        session.press(.character("l"))
        session.press(.character("c"))
        #expect(session.model.message?.text.contains("read-only") == true)
        session.press(.character("b"))
        #expect(try fixture.outbox().isEmpty)
        #expect(session.model.schedule.selectedAppointment?.status == "Checked In")
    }

    @Test("each role asks DrChrono for the scopes it needs, no more; a biller cannot change the schedule")
    func leastPrivilege() throws {
        #expect(
            Role.frontDesk.scopes() == [
                "user:read", "calendar:read", "calendar:write", "patients:read", "patients:write", "clinical:read", "labs:read",
                "billing:read",
                "billing:write", "billing:patient-payment:read", "billing:patient-payment:write",
            ])
        #expect(
            Role.billing.scopes() == [
                "user:read", "calendar:read", "patients:read", "clinical:read", "labs:read", "billing:read", "billing:write",
                "billing:patient-payment:read", "billing:patient-payment:write",
            ])
        #expect(
            Role.clinician.scopes() == [
                "user:read", "calendar:read", "patients:read", "clinical:read", "labs:read", "billing:read", "billing:patient-payment:read",
            ])
        #expect(Role.clinician.scopes(allowWrites: true).contains("calendar:write"))
        let fixture = try PracticeFixture()
        let session = try fixture.session(role: .billing)
        session.press(.character("1"))
        session.press(.character("l"))
        session.press(.character("c"))
        #expect(session.model.message?.text == "This profile (billing) cannot change the schedule.")
        #expect(try fixture.outbox().isEmpty)
    }

    @Test("q quits at once with nothing queued, and asks first while writes are queued")
    func quitAsks() throws {
        let session = try PracticeFixture().session()
        session.press(.character("l"))
        session.press(.character("c"))
        session.press(.character("q"))
        #expect(session.model.overlay == .confirmQuit(queued: 1))
        session.press(.character("n"))
        #expect(!session.quitRequested)
        session.press(.character("q"))
        session.press(.character("y"))
        #expect(session.quitRequested)

        let idle = try PracticeFixture().session()
        idle.press(.character("q"))
        #expect(idle.quitRequested)
    }

    @Test(": takes commands, Tab completes them")
    func commands() throws {
        let session = try PracticeFixture().session()
        session.press(.character(":"))
        session.type("we")
        session.press(.tab)
        guard case .command(let prompt) = session.model.overlay else { Issue.record("no prompt"); return }
        #expect(prompt.field.text == "week")
        session.press(.enter)
        #expect(session.model.schedule.isWeek)
        session.press(.character(":"))
        session.type("th")
        session.press(.tab)
        session.press(.character("h"))
        session.press(.tab)
        guard case .command(let themed) = session.model.overlay else { Issue.record("no prompt"); return }
        #expect(themed.field.text == "theme high-contrast")
        session.press(.escape)
        session.press(.character(":"))
        session.type("frobnicate")
        session.press(.enter)
        #expect(session.model.message?.text == "There is no command 'frobnicate': type : then Tab to see them.")
    }
}

/// A practice of 40 doctors: several screens of columns.
@Suite("Schedule of a large practice")
struct LargeScheduleTests {
    /// The fixture plus doctors 1001…1038, each with a 10:00 visit today.
    func fixture() throws -> PracticeFixture {
        let fixture = try PracticeFixture()
        var doctors: [JSONObject] = []
        var visits: [JSONObject] = []
        for id in 1001...1038 {
            doctors.append(["id": .int(id), "first_name": "Doc", "last_name": .string("Z\(id)"), "timezone": "America/Chicago"])
            visits.append([
                "id": .string("9\(id)"), "doctor": .int(id), "office": 10, "exam_room": 1, "patient": 100,
                "scheduled_time": "2026-03-04T10:00:00", "duration": 30, "status": "Confirmed", "updated_at": "2026-03-01T09:00:00",
            ])
        }
        try fixture.mirror.pool.write { db in
            try MirrorWriter.store(doctors, as: .doctors, in: db)
            try MirrorWriter.store(visits, as: .appointments, in: db)
        }
        return fixture
    }

    @Test("a day change reads the doctors on screen and one either side, not all forty; moving right past them reads the next ones")
    func readsWhatTheScreenShows() throws {
        let session = try fixture().session()
        session.press(.character("n"))
        session.press(.character("p"))  // back to today, now that the doctors are known
        let schedule = session.model.schedule
        let read = try #require(schedule.data.readDoctors, "a windowed read")
        #expect(schedule.columns.count == 40)
        #expect(read.count == schedule.visibleColumns + 2 && read.count < 40, "\(read.count) doctors read")
        #expect(Set(schedule.data.appointments.compactMap(\.doctor)).isSubset(of: Set(read)))
        // Right, column by column, to the last doctor: every column on screen has its day.
        for _ in 0..<39 {
            session.press(.right)
            let now = session.model.schedule
            let shown = now.columns[now.left..<min(now.columns.count, now.left + now.visibleColumns)].compactMap(\.doctor)
            #expect(Set(shown).isSubset(of: Set(now.data.readDoctors ?? shown)), "column \(now.column)")
        }
        let last = session.model.schedule
        #expect(last.selectedColumn?.doctor == last.data.doctors.last?.id)
        let visit = try #require(last.grid[last.column].firstIndex { $0.appointmentIndex != nil }, "the last doctor's 10:00 is shown")
        #expect(last.time(ofSlot: visit).hour == 10)
    }
}
