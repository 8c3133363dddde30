import DrChronoAPI
import Mirror
import Practice

extension MirrorReader {
    /// A day's visits that still hold their time, to confirm: names, phones, doctors and
    /// what DrChrono said of their coverage.
    func confirmList(_ day: String) throws -> [ConfirmList.Row] {
        try mirror.read { db -> [ConfirmList.Row] in
            let visits = try MirrorQueries.daySchedule(db, day: day).filter { !$0.isBreak && $0.patient != nil && $0.holdsTime }
            let patients = visits.compactMap(\.patient)
            let names = try MirrorQueries.patientNames(db, ids: patients)
            let phones = try MirrorQueries.phones(db, patients: patients)
            let checks = try MirrorQueries.eligibility(db, appointments: visits.map(\.id))
            let doctors = Dictionary(try MirrorQueries.doctors(db).map { ($0.id, $0.displayName) }) { a, _ in a }
            return visits.map { visit in
                ConfirmList.Row(
                    appointment: visit, patientName: visit.patient.flatMap { names[$0] } ?? "Patient \(visit.patient ?? 0)",
                    doctorName: visit.doctor.flatMap { doctors[$0] } ?? "", phones: visit.patient.flatMap { phones[$0] } ?? [],
                    eligibility: checks[visit.id])
            }
        }
    }
}
