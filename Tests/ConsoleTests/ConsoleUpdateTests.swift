import Console
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Testing

/// The console as a plain value: messages in, effects out — no SQLite, no terminal.
/// What a key asks the runtime to do is asserted here; what the runtime does with it is
/// the other suites' business.
@Suite("The console's one update: messages in, effects with their parameters out")
struct ConsoleUpdateTests {
    static let now = LocalDateTime(year: 2026, month: 3, day: 4, hour: 9, minute: 0)
    static let clock = Date(timeIntervalSince1970: 1_772_636_400)

    /// Dr. Patel's Wednesday as the mirror would hand it over: one visit at 9:00.
    static var day: ScheduleData {
        ScheduleData(
            doctors: [Doctor(json: ["id": 1, "first_name": "Anika", "last_name": "Patel"])!],
            offices: [
                Office(json: [
                    "id": 10, "name": "Main Street Clinic", "start_time": "08:00:00", "end_time": "17:00:00",
                    "exam_rooms": [["index": 1, "name": "Exam 1"]],
                ])!
            ],
            appointments: [
                Appointment(json: [
                    "id": "500", "doctor": 1, "office": 10, "exam_room": 1, "patient": 100, "scheduled_time": "2026-03-04T09:00:00",
                    "duration": 30, "status": "",
                ])!
            ],
            patientNames: [100: "María López"])
    }

    func reads(_ effects: [Effect]) -> [Dataset] {
        effects.compactMap { if case .read(let read) = $0 { read.dataset } else { nil } }
    }

    @Test("opening reads each pane on screen once; a day change asks for the next day, with its parameters")
    func startAndDayChange() {
        var model = ConsoleModel(role: .frontDesk, now: Self.now, clock: Self.clock)
        let start = model.update(.start)
        #expect(reads(start) == [.schedule, .search, .billing, .lineItems, .queue], "no chart chosen, no list open: nothing read for them")
        #expect(start.contains(.read(.schedule(from: Self.now.startOfDay, to: Self.now.startOfDay, weekDoctor: nil, doctors: nil))))
        let next = model.update(.key(.character("n"), at: Self.clock))
        let thursday = Self.now.startOfDay.adding(days: 1)
        #expect(next == [.read(.schedule(from: thursday, to: thursday, weekDoctor: nil, doctors: nil))])
        #expect(model.schedule.day == thursday)
    }

    @Test("the ICD-10-CM list is read once billing is first shown, and never by a console that does not bill")
    func codeListWithBilling() {
        var desk = ConsoleModel(role: .frontDesk, now: Self.now, clock: Self.clock)
        #expect(!desk.update(.start).contains(.prepareCodeList), "the front desk's schedule needs no codes")
        #expect(desk.update(.key(.character("4"), at: Self.clock)).contains(.prepareCodeList))
        _ = desk.update(.key(.character("1"), at: Self.clock))
        #expect(!desk.update(.key(.character("4"), at: Self.clock)).contains(.prepareCodeList), "once")
        var biller = ConsoleModel(role: .billing, now: Self.now, clock: Self.clock)
        #expect(biller.update(.start).contains(.prepareCodeList), "a biller's console opens on billing")
    }

    @Test("a day change reads the day's visits alone, keeping the doctors and offices it has; a mirror that moved reads them again")
    func dayChangeKeepsThePractice() {
        var model = ConsoleModel(role: .frontDesk, now: Self.now, clock: Self.clock)
        _ = model.update(.start)
        _ = model.update(.result(.loaded(.schedule(Self.day))))
        let thursday = Self.now.startOfDay.adding(days: 1)
        #expect(
            model.update(.key(.character("n"), at: Self.clock))
                == [.read(.schedule(from: thursday, to: thursday, weekDoctor: nil, doctors: nil, practice: false))])
        var visitsOnly = ScheduleData()
        visitsOnly.practiceRead = false
        _ = model.update(.result(.loaded(.schedule(visitsOnly))))
        #expect(model.schedule.columns.map(\.doctor) == [1], "Dr. Patel's column stays")
        #expect(model.schedule.data.offices.map(\.name) == ["Main Street Clinic"])
        #expect(model.update(.mirrorChanged).contains(.read(.schedule(from: thursday, to: thursday, weekDoctor: nil, doctors: nil))))
    }

    @Test("a status change: the model asks the practice for it, says what was queued, and the commit is read once")
    func statusChangeFlow() {
        var model = ConsoleModel(role: .frontDesk, now: Self.now, clock: Self.clock)
        _ = model.update(.start)
        _ = model.update(.result(.loaded(.schedule(Self.day))))
        #expect(model.schedule.selectedAppointment?.id == "500", "the cursor opens on the visit at 9:00")
        #expect(model.update(.key(.character("s"), at: Self.clock)).isEmpty, "the picker opens: nothing to perform yet")
        let asked = model.update(.key(.character("a"), at: Self.clock))
        let write = ConsoleWrite.setStatus(appointment: "500", status: .arrived, who: "María López")
        let context = WriteContext(actor: ActingPerson(name: nil, role: .frontDesk), now: Self.now)
        #expect(asked == [.queue(write, by: context)], "the write carries who asks and when: the runtime asks the model nothing")
        #expect(model.update(.result(.queued(write))) == [.pushQueue], "no reads of its own: the commit brings them")
        #expect(model.message?.text == "María López: Arrived — queued for DrChrono.")
        let moved = model.update(.mirrorChanged)
        #expect(reads(moved) == [.schedule, .queue], "what is on screen, once, for the one commit")
        #expect(reads(model.update(.key(.character("4"), at: Self.clock))) == [.billing, .lineItems], "billing read when shown")
        #expect(reads(model.update(.key(.character("1"), at: Self.clock))).isEmpty, "the schedule was read; nothing changed since")
        _ = model.update(.mirrorChanged)
        #expect(reads(model.update(.key(.character("2"), at: Self.clock))) == [.search], "the patients pane, stale since the first commit")
    }

    @Test("a read person's console asks nothing it may not: a clinician's status key queues nothing")
    func clinicianQueuesNothing() {
        var model = ConsoleModel(role: .clinician, now: Self.now, clock: Self.clock)
        _ = model.update(.start)
        _ = model.update(.key(.character("1"), at: Self.clock))
        _ = model.update(.result(.loaded(.schedule(Self.day))))
        var effects: [Effect] = []
        for key in ["s", "a", "c", "x"] { effects += model.update(.key(.character(Character(key)), at: Self.clock)) }
        #expect(!effects.contains { if case .queue = $0 { true } else { false } })
    }

    @Test("the lock asks the runtime to check a passphrase; the model never decrypts, and records both sides")
    func lockAsks() {
        var model = ConsoleModel(role: .frontDesk, now: Self.now, clock: Self.clock)
        model.lockAfter = 300
        _ = model.update(.start)
        let locked = model.update(.tick(clock: Self.clock.addingTimeInterval(300), now: Self.now.adding(minutes: 5)))
        #expect(model.locked && locked == [.audit([AuditTrail.Event(.lock, outcome: "idle 300 s")])])
        var typed: [Effect] = []
        for character in "secret" { typed += model.update(.key(.character(character), at: Self.clock.addingTimeInterval(301))) }
        #expect(typed.isEmpty)
        #expect(model.update(.key(.enter, at: Self.clock.addingTimeInterval(302))) == [.unlock("secret")])
        #expect(model.update(.result(.unlock(.unlocked))) == [.audit([AuditTrail.Event(.unlock)])])
        #expect(!model.locked)
    }
}
