import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Practice
import Testing

/// The practice's jobs as every surface asks them: checked against the mirror in the
/// transaction that queues them, answered as a typed outcome, nothing written unless
/// queued.
@Suite("The practice's jobs: checked, queued or refused, for a person")
struct DeskTests {
    static let now = LocalDateTime(year: 2026, month: 3, day: 4, hour: 8, minute: 0)
    static let frontDesk = ActingPerson(name: "dana", role: .frontDesk)

    /// Dr. Patel's Thursday: Maria López at 10:30 in Exam 2 (booked) and Bo Lee at 11:00
    /// in Exam 1 (cancelled: the time is free again); Ana Ruiz to book.
    func mirror() throws -> MirrorDatabase {
        try SmallPractice.mirror(
            patients: [["id": 10003, "first_name": "Ana", "last_name": "Ruiz", "date_of_birth": "1979-07-07"]],
            visits: [
                [
                    "id": "501", "doctor": 101, "office": 1, "exam_room": 1, "patient": 10002, "scheduled_time": "2026-03-05T11:00:00",
                    "duration": 30, "status": "Cancelled",
                ]
            ])
    }

    func booking(_ hour: Int, _ minute: Int, patient: Int = 10003, room: Int = 1) -> Outbox.Booking {
        Outbox.Booking(
            doctor: 101, office: 1, examRoom: room, patient: patient,
            scheduledTime: LocalDateTime(year: 2026, month: 3, day: 5, hour: hour, minute: minute), duration: 30)
    }

    func queued(_ mirror: MirrorDatabase) throws -> [Outbox.Entry] { try mirror.pool.read { try Outbox.entries($0) } }

    @Test("a visit booked where a cancelled one was is queued without a question, and shows on the day")
    func bookingBehindACancelledVisit() throws {
        let mirror = try mirror()
        let desk = Desk(mirror: mirror, actor: Self.frontDesk, now: Self.now)
        guard case .queued(let id) = try desk.book(booking(11, 0)) else {
            Issue.record("the cancelled visit's time was not free")
            return
        }
        let day = try mirror.pool.read { try MirrorQueries.daySchedule($0, day: "2026-03-05") }
        #expect(day.contains { $0.id == id && $0.patient == 10003 }, "the new visit is on the day at once")
        #expect(day.contains { $0.id == "501" }, "the cancelled one is still there to see")
        #expect(try queued(mirror).map(\.kind) == [.appointmentCreate])
        guard case .book(let sent) = try queued(mirror)[0].write else {
            Issue.record("the queued write is not a booking")
            return
        }
        #expect(sent.patient == 10003 && sent.scheduledTime == booking(11, 0).scheduledTime)
    }

    @Test("a visit cancelled through the desk frees its time for the next booking at once")
    func cancelThenBook() throws {
        let mirror = try mirror()
        let desk = Desk(mirror: mirror, actor: Self.frontDesk, now: Self.now)
        guard case .needsConfirmation = try desk.book(booking(10, 30, room: 2)) else {
            Issue.record("booking over Maria López's visit was not questioned")
            return
        }
        #expect(try desk.cancel("500").isQueued)
        #expect(try desk.book(booking(10, 30, room: 2)).isQueued, "the cancelled visit holds its time no longer")
        #expect(try queued(mirror).map(\.kind) == [.appointmentUpdate, .appointmentCreate])
    }

    @Test("over a visit that holds its time: a question first, nothing written; confirmed, queued")
    func overlapAsksFirst() throws {
        let mirror = try mirror()
        let desk = Desk(mirror: mirror, actor: Self.frontDesk, now: Self.now)
        guard case .needsConfirmation(let warnings) = try desk.book(booking(10, 45, room: 2)) else {
            Issue.record("the overlap was not questioned")
            return
        }
        #expect(
            warnings.map(\.message) == ["Dr. Patel already has Maria López at 10:30 am in Exam 2 — pick another time or allow overlap."])
        #expect(try queued(mirror).isEmpty)
        #expect(try mirror.pool.read { try MirrorQueries.daySchedule($0, day: "2026-03-05") }.count == 2, "nothing shown either")
        #expect(try desk.book(booking(10, 45, room: 2), confirmed: true).isQueued)
        #expect(try queued(mirror).count == 1)
    }

    @Test("what cannot be booked is refused with the reason, and nothing is written")
    func refusedWritesNothing() throws {
        let mirror = try mirror()
        let desk = Desk(mirror: mirror, actor: Self.frontDesk, now: Self.now)
        guard case .refused(let refusal) = try desk.book(booking(9, 0, patient: 424_242), confirmed: true) else {
            Issue.record("a booking for nobody was queued")
            return
        }
        #expect(refusal.reason == "Choose a patient." && refusal.problems.map(\.field) == ["patient"])
        #expect(try queued(mirror).isEmpty)
        #expect(try desk.setStatus(.arrived, of: "999").isQueued == false)
        #expect(try desk.voidCharge(123).isQueued == false)
        #expect(try queued(mirror).isEmpty)
    }

    @Test("a role does only its own jobs: a clinician books nothing, a biller checks no one in")
    func roles() throws {
        let mirror = try mirror()
        let clinician = Desk(mirror: mirror, actor: ActingPerson(name: "dr-patel", role: .clinician), now: Self.now)
        guard case .refused(let refusal) = try clinician.book(booking(9, 0)) else {
            Issue.record("a clinician's console booked a visit")
            return
        }
        #expect(refusal.reason == "The clinician role may not book or change visits — ask the office manager.")
        let biller = Desk(mirror: mirror, actor: ActingPerson(name: "bea", role: .billing), now: Self.now)
        #expect(try biller.setStatus(.checkedIn, of: "500").isQueued == false)
        var copay = Outbox.Payment(patient: 10001, appointment: "500", amountCents: 2_500, method: "CASH", kind: "COPAY")
        #expect(try biller.takePayment(copay, checkingIn: true).isQueued == false, "a check-in is the front desk's")
        #expect(try queued(mirror).isEmpty)
        copay.amountCents = 3_000
        #expect(try biller.takePayment(copay).isQueued)
        #expect(try queued(mirror).map(\.kind) == [.paymentCreate])
    }

    @Test("a copay at check-in: both queued together, or neither")
    func copayAtCheckIn() throws {
        let mirror = try mirror()
        let desk = Desk(mirror: mirror, actor: Self.frontDesk, now: Self.now)
        var copay = Outbox.Payment(patient: 10001, appointment: "500", amountCents: 0, method: "CASH", kind: "COPAY")
        #expect(try desk.takePayment(copay, checkingIn: true).isQueued == false)
        #expect(try queued(mirror).isEmpty, "a payment of nothing checks no one in")
        copay.amountCents = 2_500
        #expect(try desk.takePayment(copay, checkingIn: true).isQueued)
        let writes = try queued(mirror).map(\.write)
        #expect(writes.first == .changeVisit(VisitChange(status: "Checked In")))
        guard case .payment(let taken, _, _) = writes.last else {
            Issue.record("no payment was queued")
            return
        }
        #expect(taken.amountCents == 2_500)
        let collected = try mirror.pool.read { try MirrorQueries.collections($0, day: "2026-03-04") }
        #expect(collected.map(\.desk) == ["dana"], "counted to the person who took it")
    }

    @Test("a billing profile's charges go in together: one that fails its check stops them all")
    func chargesAllOrNone() throws {
        let mirror = try mirror()
        let desk = Desk(mirror: mirror, actor: ActingPerson(name: "bea", role: .billing), now: Self.now)
        let visit = Outbox.Charge(code: "99213", procedureType: "C", diagnosisPointers: ["I10"], priceCents: 11_000)
        let broken = Outbox.Charge(code: "9921", procedureType: "C", diagnosisPointers: ["I10"], priceCents: 5_000)
        guard case .refused(let refusal) = try desk.addCharges([visit, broken], to: "500") else {
            Issue.record("a broken charge was queued")
            return
        }
        #expect(refusal.reason == "9921 is not a CPT code: five characters, as 99213 or 3008F.")
        #expect(try queued(mirror).isEmpty)
        guard case .queued(let ids) = try desk.addCharges([visit, visit], to: "500") else {
            Issue.record("good charges were refused")
            return
        }
        #expect(ids.count == 2 && ids.allSatisfy { $0 < 0 })
        #expect(try desk.fixCharge(ids[0], ChargeChange(price: Money(cents: 9_500))).isQueued)
        #expect(try desk.voidCharge(ids[1]).isQueued, "a charge never sent is taken out of the queue")
        #expect(try queued(mirror).map(\.kind) == [.lineItemCreate, .lineItemUpdate])
    }

    @Test("a diagnosis that is not billable (E11) is refused; a price of nothing is asked about first")
    func billableAndFree() throws {
        let mirror = try mirror()
        let desk = Desk(mirror: mirror, actor: ActingPerson(name: "bea", role: .billing), now: Self.now)
        let category = Outbox.Charge(code: "99213", procedureType: "C", diagnosisPointers: ["E11"], priceCents: 11_000)
        guard case .refused(let refusal) = try desk.addCharge(category, to: "500") else {
            Issue.record("a charge on E11 was queued")
            return
        }
        #expect(refusal.reason.hasPrefix("E11 is not a billable ICD-10-CM code"))
        let free = Outbox.Charge(code: "99213", procedureType: "C", diagnosisPointers: ["E11.9"], priceCents: 0)
        guard case .needsConfirmation(let warnings) = try desk.addCharge(free, to: "500") else {
            Issue.record("a charge of nothing went without a question")
            return
        }
        #expect(warnings.map(\.field) == ["price"])
        #expect(try queued(mirror).isEmpty)
        #expect(try desk.addCharge(free, to: "500", confirmed: true).isQueued)
    }

    @Test("a visit level beside the one already charged (99214 beside 99213) is asked about first")
    func visitLevelAsksFirst() throws {
        let mirror = try mirror()
        let desk = Desk(mirror: mirror, actor: ActingPerson(name: "bea", role: .billing), now: Self.now)
        let office = Outbox.Charge(code: "99213", procedureType: "C", diagnosisPointers: ["I10"], priceCents: 11_000)
        #expect(try desk.addCharge(office, to: "500").isQueued)
        var higher = office
        higher.code = "99214"
        guard case .needsConfirmation(let warnings) = try desk.addCharge(higher, to: "500") else {
            Issue.record("a second visit level went without a question")
            return
        }
        #expect(warnings.map(\.message) == ["99213 is already charged; this charge adds 99214."])
        #expect(try queued(mirror).count == 1)
        #expect(try desk.addCharge(higher, to: "500", confirmed: true).isQueued)
    }
}
