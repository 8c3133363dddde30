import DrChronoAPI
import GRDB
import Mirror

/// Whose side of the practice a job is on. A person whose login sees some doctors only
/// (``ActingPerson/doctors``) works on those doctors' visits and patients: DrChrono
/// would refuse the rest with a 403 after the fact, so the desk refuses it first, and
/// says why.
extension Desk {
    /// Refused when `doctor` is not on the acting person's side; nil when it is (or
    /// when the job names no doctor).
    func outsideSide(doctor: Int?, in db: Database) throws -> Refusal? {
        guard let mine = actor.doctors, let doctor, !mine.contains(doctor) else { return nil }
        let names = try MirrorQueries.doctorLastNames(db, ids: Array(mine) + [doctor])
        func called(_ id: Int) -> String { names[id].map { "Dr. \($0)" } ?? "doctor \(id)" }
        let side = mine.sorted().map(called).joined(separator: ", ")
        return Refusal(
            "\(called(doctor))'s visits and patients are not on your side of the practice: your DrChrono login sees \(side) only. "
                + "Ask someone who works for \(called(doctor)).")
    }

    /// The same, for the doctor of `patient` (as the mirror holds them).
    func outsideSide(patient: Int, in db: Database) throws -> Refusal? {
        guard actor.doctors != nil else { return nil }
        return try outsideSide(doctor: MirrorQueries.patient(db, id: try Outbox.currentPatientId(of: patient, in: db))?.doctor, in: db)
    }

    /// The same, for the doctor of the visit a charge is on.
    func outsideSide(charge: Int, in db: Database) throws -> Refusal? {
        guard actor.doctors != nil else { return nil }
        return try outsideSide(doctor: MirrorQueries.chargeDoctor(db, id: charge), in: db)
    }
}
