import DrChronoAPI
import GRDB
import Mirror

/// A visit on tomorrow's confirmation list: who, with whom, how to reach them, and what
/// DrChrono said of their coverage. The console's worklist and the MCP server's
/// `confirmation_list` read the same rows.
public struct VisitToConfirm: Sendable, Equatable {
    public var appointment: Appointment
    public var patientName: String
    public var doctorName: String
    public var phones: [String]
    public var eligibility: EligibilityCheck?

    public init(appointment: Appointment, patientName: String, doctorName: String, phones: [String], eligibility: EligibilityCheck?) {
        (self.appointment, self.patientName, self.doctorName, self.phones) = (appointment, patientName, doctorName, phones)
        self.eligibility = eligibility
    }

    /// Not yet confirmed by the patient: booked, or marked not confirmed.
    public var toConfirm: Bool { appointment.visitStatus?.isToConfirm ?? false }

    /// What the desk must sort out about insurance before the visit, if anything.
    public var coverageFlag: String? {
        guard let check = eligibility else { return "no eligibility check" }
        return check.isInactive ? "coverage INACTIVE" : nil
    }

    /// A day's visits that still hold their time, in time order, to confirm.
    public static func list(_ db: Database, day: String) throws -> [VisitToConfirm] {
        let visits = try MirrorQueries.daySchedule(db, day: day).filter { !$0.isBreak && $0.patient != nil && $0.holdsTime }
        let patients = visits.compactMap(\.patient)
        let names = try MirrorQueries.patientNames(db, ids: patients)
        let phones = try MirrorQueries.phones(db, patients: patients)
        let checks = try MirrorQueries.eligibility(db, appointments: visits.map(\.id))
        let doctors = Dictionary(try MirrorQueries.doctors(db).map { ($0.id, $0.displayName) }) { a, _ in a }
        return visits.map { visit in
            VisitToConfirm(
                appointment: visit, patientName: visit.patient.flatMap { names[$0] } ?? "Patient \(visit.patient ?? 0)",
                doctorName: visit.doctor.flatMap { doctors[$0] } ?? "", phones: visit.patient.flatMap { phones[$0] } ?? [],
                eligibility: checks[visit.id])
        }
    }
}
