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

    /// A visit's charges, priced from its doctor's fee schedule at the patient's payer,
    /// and the notes on its claim.
    func lineItems(of visit: Appointment?) throws -> Loaded {
        guard let visit else { return .lineItems(VisitBill()) }
        return try mirror.read { db in
            return .lineItems(
                VisitBill(
                    items: try MirrorQueries.lineItems(db, appointment: visit.id),
                    prices: try MirrorQueries.feePrices(db, for: visit),
                    descriptions: try visit.doctor.map { try MirrorQueries.feeDescriptions(db, doctor: $0) } ?? [:],
                    profiles: try MirrorQueries.billingProfiles(db),
                    balance: try visit.patient.map { try MirrorQueries.patientBalance(db, patient: $0) },
                    claimNotes: try MirrorQueries.claimNotes(db, appointment: visit.id)))
        }
    }
}

/// What the biller reads of one visit: its line items, what its codes cost at the
/// patient's payer and are called, the practice's billing profiles, the patient's
/// balance, and the notes on its claim.
public struct VisitBill: Sendable {
    public var items: [LineItem] = []
    public var prices: [String: Int] = [:]
    public var descriptions: [String: String] = [:]
    public var profiles: [MirrorQueries.BillingProfile] = []
    public var balance: Int?
    public var claimNotes: [ClaimNote] = []
}
