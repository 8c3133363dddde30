import DrChronoAPI
import Mirror

extension MirrorReader {
    /// A day's (or a doctor's week's) visits with everything the grid marks on them:
    /// names, queued writes, copays, payments, eligibility, visit types.
    func schedule(from: LocalDateTime, to: LocalDateTime, weekDoctor: Int?, doctors: [Int]?) throws -> ScheduleData {
        try mirror.read { db -> ScheduleData in
            let appointments =
                from == to
                ? try MirrorQueries.daySchedule(db, day: from.dateString, doctors: doctors)
                : try MirrorQueries.schedule(db, from: from.dateString, to: to.dateString, doctor: weekDoctor)
            var data = ScheduleData(
                doctors: try MirrorQueries.doctors(db), offices: try MirrorQueries.offices(db), appointments: appointments,
                patientNames: try MirrorQueries.patientNames(db, ids: appointments.compactMap(\.patient)),
                marks: try MirrorQueries.outboxMarks(db), readDoctors: from == to ? doctors : nil,
                visitTypes: try MirrorQueries.visitTypes(db))
            data.copays = try MirrorQueries.copays(db, patients: appointments.compactMap(\.patient))
            data.paid = try MirrorQueries.paid(db, appointments: appointments.map(\.id))
            data.eligibility = try MirrorQueries.eligibility(db, appointments: appointments.map(\.id))
            return data
        }
    }
}
