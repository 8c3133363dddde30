import DrChronoAPI
import Mirror

extension MirrorReader {
    /// A day's (or a doctor's week's) visits with everything the grid marks on them:
    /// names, queued writes, copays, payments, eligibility; and with `practice`, the
    /// doctors, offices and visit types (which a day change does not read again).
    func schedule(from: LocalDateTime, to: LocalDateTime, weekDoctor: Int?, doctors: [Int]?, practice: Bool = true) throws -> ScheduleData {
        try mirror.read { db -> ScheduleData in
            let appointments =
                from == to
                ? try MirrorQueries.daySchedule(db, day: from.dateString, doctors: doctors)
                : try MirrorQueries.schedule(db, from: from.dateString, to: to.dateString, doctor: weekDoctor)
            var data = ScheduleData(
                doctors: practice ? try MirrorQueries.doctors(db) : [], offices: practice ? try MirrorQueries.offices(db) : [],
                appointments: appointments, patientNames: try MirrorQueries.patientNames(db, ids: appointments.compactMap(\.patient)),
                marks: try MirrorQueries.outboxMarks(db), readDoctors: from == to ? doctors : nil,
                visitTypes: practice ? try MirrorQueries.visitTypes(db) : [])
            data.practiceRead = practice
            if practice { data.unseenDoctors = try MirrorQueries.unseenDoctors(db) }
            data.copays = try MirrorQueries.copays(db, patients: appointments.compactMap(\.patient))
            data.paid = try MirrorQueries.paid(db, appointments: appointments.map(\.id))
            data.eligibility = try MirrorQueries.eligibility(db, appointments: appointments.map(\.id))
            return data
        }
    }
}
