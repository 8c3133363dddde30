import DrChronoAPI
import GRDB
import Mirror

/// The front desk's jobs on the practice's patients: register one, change a record,
/// attach a scan or photo to a chart.
extension Desk {
    /// Registers a patient (DrChrono's fields: names, birth date, sex, address, phones,
    /// insurance). Refused when a chart with the same name and birth date exists, here or
    /// on its way to DrChrono. Answers their local id.
    public func register(_ patient: PatientFields) throws -> Outcome<Int> {
        try job(.patients) { db in
            if patient.firstName.isEmpty || patient.lastName.isEmpty || patient.dateOfBirth.isEmpty {
                return .refused(Refusal("A new patient needs a first name, a last name and a date of birth."))
            }
            let existing = try MirrorQueries.patients(named: patient.firstName, patient.lastName, born: patient.dateOfBirth, in: db)
            if let same = existing.first {
                return .refused(Refusal("\(same.name) already has a chart: open it rather than register them again."))
            }
            if let refusal = try outsideSide(doctor: patient.fields.int("doctor"), in: db) { return .refused(refusal) }
            return .queued(try Outbox.register(patient: patient.fields, in: db, now: now))
        }
    }

    /// Changes a patient's record: only the fields that changed.
    public func changePatient(_ id: Int, _ changes: PatientFields) throws -> Outcome<Void> {
        try job(.patients) { db in
            guard !changes.isEmpty else { return .refused(Refusal("Nothing was changed.")) }
            guard try MirrorQueries.patient(db, id: try Outbox.currentPatientId(of: id, in: db)) != nil else {
                return .refused(Self.noSuchPatient)
            }
            // Theirs now, and theirs after (a change of doctor may not move them away).
            if let refusal = try outsideSide(patient: id, in: db) ?? outsideSide(doctor: changes.fields.int("doctor"), in: db) {
                return .refused(refusal)
            }
            try Outbox.updatePatient(id, changes: changes.fields, in: db, now: now)
            return .queued(())
        }
    }

    /// Attaches a document to a patient's chart: a PDF or an image of at most 20 MB, with
    /// a description and its date. Answers the document's local id.
    public func attach(_ upload: Outbox.Upload) throws -> Outcome<Int> {
        try job(.patients) { db in
            let problems = UploadCheck.problems(upload)
            if let verdict: Outcome<Int> = Self.verdict(problems, confirmed: false) {
                return verdict
            }
            guard try MirrorQueries.patient(db, id: try Outbox.currentPatientId(of: upload.patient, in: db)) != nil else {
                return .refused(Self.noSuchPatient)
            }
            if let refusal = try outsideSide(patient: upload.patient, in: db) ?? outsideSide(doctor: upload.doctor, in: db) {
                return .refused(refusal)
            }
            return .queued(try Outbox.upload(upload, in: db, now: now))
        }
    }

    static let noSuchPatient = Refusal("That patient is not in the practice's copy — search for them again.")
}
