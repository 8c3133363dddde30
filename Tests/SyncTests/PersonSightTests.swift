import DrChronoAPI
import Foundation
import Mirror
import Practice
import SandboxHarness
import Sync
import Testing

/// A person mapped to a grant reads and writes only that grant's side of the practice:
/// the mirror read through their sight, and the desk's jobs, refuse the rest.
@Suite("A person of a grant sees their side of the practice alone")
struct PersonSightTests {
    @Test(
        "search, schedule, chart, billing and the day's totals hold only the grant's doctor; another doctor's booking is refused, saying why"
    )
    func oneSide() async throws {
        try await withSandbox { sandbox in try await Self.oneSide(sandbox) }
    }

    static func oneSide(_ sandbox: RunningSandbox) async throws {
        do {
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            let whole = fixture.mirror
            let (mine, theirs) = try await whole.pool.read { db in
                let doctors = try MirrorQueries.doctorIds(db)
                return (doctors[0], doctors[1])
            }
            let seen = try MirrorDatabase.open(at: whole.path, sight: MirrorSight(doctors: [mine]))

            // Their patient: a chart with notes, on a day with visits of both doctors.
            let (other, day) = try await Self.chartedPatient(of: theirs, in: whole)
            let found = try await whole.pool.read { db in try MirrorQueries.searchPatients(db, other.lastName) }
            #expect(found.contains { $0.id == other.id })
            let everyones = try await whole.pool.read { db in try MirrorQueries.daySchedule(db, day: day) }
            #expect(everyones.contains { $0.doctor == theirs })
            try await seen.pool.read { db in
                let byName = try MirrorQueries.searchPatients(db, other.lastName)
                #expect(!byName.contains { $0.id == other.id }, "search")
                let byChart = try MirrorQueries.searchPatients(db, other.chartId)
                #expect(!byChart.contains { $0.id == other.id }, "search by chart id")
                #expect(try MirrorQueries.patient(db, id: other.id) == nil, "the chart's header")
                let chart = try MirrorQueries.chart(db, patient: other.id)
                #expect(chart.notes.isEmpty && chart.problems.isEmpty && chart.medications.isEmpty && chart.documents.isEmpty, "the chart")
                let schedule = try MirrorQueries.daySchedule(db, day: day)
                #expect(!schedule.isEmpty && schedule.allSatisfy { $0.doctor == mine }, "the schedule")
                let sheet = try MirrorQueries.myDay(db, day: try #require(LocalDateTime(day)), doctors: [theirs], zone: .current)
                #expect(sheet.isEmpty, "the day sheet")
                let visits = try MirrorQueries.schedule(db, from: "2026-02-01", to: "2026-04-01", doctor: theirs)
                #expect(visits.isEmpty, "their whole schedule")
                let totals = try MirrorQueries.dayTotals(db, day: day)
                let names = try MirrorQueries.doctorLastNames(db, ids: [theirs])
                let theirName = names[theirs] ?? "?"
                #expect(!totals.contains { $0.doctor.contains(theirName) && $0.charges > 0 }, "billing's day")
            }

            // The desk, for a front desk of this side: the other doctor's visits are not theirs.
            let desk = Desk(
                mirror: seen, actor: ActingPerson(name: "nora", role: .frontDesk, doctors: [mine]),
                now: LocalDateTime(year: 2026, month: 3, day: 4, hour: 8, minute: 0))
            let office = try #require(try await whole.pool.read { db in try MirrorQueries.offices(db).first })
            let room = office.examRooms.first?.index ?? 1
            let booking = Outbox.Booking(
                doctor: theirs, office: office.id, examRoom: room, patient: other.id,
                scheduledTime: LocalDateTime(year: 2026, month: 3, day: 9, hour: 9, minute: 0), duration: 30)
            guard case .refused(let refusal) = try desk.book(booking, confirmed: true) else {
                Issue.record("a booking for the other doctor was not refused")
                return
            }
            #expect(refusal.reason.contains("not on your side of the practice"), "\(refusal.reason)")
            let theirVisit = try #require(
                try await whole.pool.read { db in try MirrorQueries.daySchedule(db, day: day) }.first { $0.doctor == theirs })
            guard case .refused = try desk.setStatus(.arrived, of: theirVisit.id) else {
                Issue.record("checking in the other doctor's visit was not refused")
                return
            }
            // Nor can they move one of their own patients to the other doctor.
            let ownPatient = try #require(
                try await whole.pool.read { db in try MirrorQueries.daySchedule(db, day: day) }.first { $0.doctor == mine }?.patient)
            guard case .refused = try desk.changePatient(ownPatient, PatientFields(["doctor": .int(theirs)])) else {
                Issue.record("moving a patient to the other doctor was not refused")
                return
            }
            #expect(try await seen.pool.read { db in try Outbox.entries(db) }.isEmpty, "nothing queued")
            let ownVisit = try #require(
                try await whole.pool.read { db in try MirrorQueries.daySchedule(db, day: day) }.first { $0.doctor == mine })
            guard case .queued = try desk.setStatus(.arrived, of: ownVisit.id) else {
                Issue.record("checking in their own doctor's visit was refused")
                return
            }
        }
    }

    /// A patient of `doctor` with notes in their chart, and the day of one of their visits.
    static func chartedPatient(of doctor: Int, in mirror: MirrorDatabase) async throws -> (Patient, String) {
        let found: (Patient, String)? = try await mirror.pool.read { db in
            for visit in try MirrorQueries.schedule(db, from: "2026-02-01", to: "2026-04-01", doctor: doctor) {
                guard let id = visit.patient, let day = visit.scheduledTime?.dateString,
                    let patient = try MirrorQueries.patient(db, id: id),
                    !(try MirrorQueries.chart(db, patient: id).notes.isEmpty)
                else { continue }
                return (patient, day)
            }
            return nil
        }
        return try #require(found)
    }
}
