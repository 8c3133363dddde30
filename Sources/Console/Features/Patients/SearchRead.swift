import DrChronoAPI
import Mirror

extension MirrorReader {
    /// Patients matching what was typed (at most 50), each with their next visit.
    func search(_ query: String, after: LocalDateTime) throws -> [PatientRow] {
        try mirror.read { db -> [PatientRow] in
            let patients = try MirrorQueries.searchPatients(db, query, limit: 50)
            let next = try MirrorQueries.nextAppointments(db, patients: patients.map(\.id), after: after)
            let documents = try MirrorQueries.documentCounts(db, patients: patients.map(\.id))
            return patients.map { PatientRow(patient: $0, next: next[$0.id], documents: documents[$0.id] ?? 0) }
        }
    }
}
