import DrChronoAPI
import Mirror

extension MirrorReader {
    /// A patient's chart: notes newest visit first, problems, medications, allergies,
    /// documents, labs, vitals and the latest eligibility check.
    func chart(_ opened: Int) throws -> ChartData? {
        try mirror.read { db -> ChartData? in
            // Registered here and confirmed since: the chart is DrChrono's id now.
            let id = try Outbox.currentPatientId(of: opened, in: db)
            guard let patient = try MirrorQueries.patient(db, id: id) else { return nil }
            let chart = try MirrorQueries.chart(db, patient: id)
            let fields = chart.notes.flatMap { $0.sections.flatMap { $0.values.compactMap(\.field) } }
            let visits = try MirrorQueries.appointmentTimes(db, ids: chart.notes.compactMap(\.appointment))
            var chartData = ChartData(
                patient: patient,
                notes: chart.notes.sorted {
                    (visits[$0.appointment ?? ""] ?? .distantPast) > (visits[$1.appointment ?? ""] ?? .distantPast)
                },
                problems: chart.problems, medications: chart.medications, allergies: chart.allergies, documents: chart.documents,
                fieldNames: try MirrorQueries.noteFieldNames(db, ids: fields), visitTimes: visits)
            chartData.eligibility = try MirrorQueries.latestEligibility(db, patient: id)
            chartData.labs = try MirrorQueries.labResults(db, patient: id)
            chartData.vitals = try MirrorQueries.vitals(db, patient: id)
            return chartData
        }
    }
}
