import DrChronoAPI
import Mirror

extension MirrorReader {
    /// A day's visits for the biller, with their patients' names and claim statuses.
    func billingDay(_ day: String) throws -> Loaded {
        try mirror.read { db in
            let visits = try MirrorQueries.daySchedule(db, day: day)
            return .billingDay(
                visits: visits, names: try MirrorQueries.patientNames(db, ids: visits.compactMap(\.patient)),
                doctors: try MirrorQueries.doctors(db), statuses: try MirrorQueries.billingStatuses(db, appointments: visits.map(\.id)))
        }
    }

    /// A visit's charges, priced from its doctor's fee schedule at the patient's payer.
    func lineItems(of visit: Appointment?) throws -> Loaded {
        guard let visit else { return .lineItems([], prices: [:], descriptions: [:], profiles: [], balance: nil) }
        return try mirror.read { db in
            let payer = try visit.patient.flatMap { try MirrorQueries.payerId(db, patient: $0) }
            let prices = try visit.doctor.map { try MirrorQueries.feePrices(db, doctor: $0, payer: payer) } ?? [:]
            return .lineItems(
                try MirrorQueries.lineItems(db, appointment: visit.id), prices: prices,
                descriptions: try visit.doctor.map { try MirrorQueries.feeDescriptions(db, doctor: $0) } ?? [:],
                profiles: try MirrorQueries.billingProfiles(db),
                balance: try visit.patient.map { try MirrorQueries.patientBalance(db, patient: $0) })
        }
    }
}
