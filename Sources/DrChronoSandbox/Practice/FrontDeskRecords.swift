import DrChronoAPI
import Foundation

/// A payment a patient made (`/api/patient_payments`): a copay at check-in, a payment
/// on a balance, a refund.
struct PaymentRecord: Sendable {
    var id: Int
    var patient: Int, doctor: Int
    var appointment: Int?
    var amount: Double
    /// `CASH`, `CHCK`, `CRDT`, `DBIT`, `VISA` …
    var method: String
    /// `COPAY`, `COINSR`, `REF`, `COR`, `OTHR`, or blank for a credit.
    var transactionType: String
    var receivedDate: String, postedDate: String
    var notes: String
    var traceNumber: String
    var createdBy: String
    var createdAt: LocalDateTime, updatedAt: LocalDateTime

    static let methods = ["DRCP", "CASH", "CHCK", "DBIT", "CRDT", "AMEX", "VISA", "MSTR", "DISC", "SQR1", "SQRE", "PTPA", "ONPT", "OTHR"]
    static let transactionTypes = ["", "REF", "COR", "COPAY", "COINSR", "OTHR"]

    var json: JSONValue {
        .object([
            "id": .int(id), "patient": .int(patient), "doctor": .int(doctor), "appointment": appointment.map { .int($0) } ?? .null,
            "line_item": .null, "amount": .double(amount), "payment_method": .string(method),
            "payment_transaction_type": .string(transactionType), "received_date": .string(receivedDate),
            "posted_date": .string(postedDate), "notes": .string(notes), "trace_number": .string(traceNumber),
            "created_by": .string(createdBy), "created_at": .string(createdAt.description), "updated_at": .string(updatedAt.description),
        ])
    }
}

/// A doctor's working week in one office (`/api/doctor_work_schedule`): Monday to
/// Friday, mornings and afternoons around lunch, as the sandbox's schedule is filled.
struct WorkScheduleRecord: Sendable {
    var id: Int
    var doctor: Int, office: Int
    /// Per ISO weekday name, the hours worked (`"08:00"`–`"12:00"` …); absent: not worked.
    var days: [(weekday: String, hours: [(start: String, end: String)])]

    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    var json: JSONValue {
        var dayId = id * 10
        return .object([
            "id": .int(id), "doctor": .int(doctor), "office": .int(office),
            "work_days": .array(
                Self.weekdays.map { name in
                    dayId += 1
                    let hours = days.first { $0.weekday == name }?.hours ?? []
                    return .object([
                        "id": .int(dayId), "iso_weekday": .string(name), "enabled": .bool(!hours.isEmpty),
                        "work_hours": .array(
                            hours.enumerated().map { index, hour in
                                .object([
                                    "id": .int(dayId * 10 + index), "start_time": .string(hour.start), "end_time": .string(hour.end),
                                    "enabled": true,
                                ])
                            }),
                    ])
                }),
        ])
    }
}

/// Eligibility checks DrChrono ran for the practice's visits. The API cannot start one:
/// DrChrono runs them itself, the night before a visit. The sandbox works each out from
/// its visit (so a `large` practice stores none): nine visits in ten with a card were
/// checked, one check in twenty came back inactive.
enum EligibilityChecks {
    /// Checks are numbered after their visit.
    static let idOffset = 60_000_000

    /// The check DrChrono ran for `visit`, if it ran one by `now`.
    static func check(for visit: AppointmentRecord, insurance: PatientCards?, now: LocalDateTime) -> JSONValue? {
        guard let patient = visit.patient, !visit.isBreak, !visit.deleted, let card = insurance?.primary, !card.isEmpty else { return nil }
        let mix = (visit.id &* 2_246_822_519) & 0x7fff_ffff
        guard mix % 10 != 0 else { return nil }
        let queried = visit.scheduledTime.startOfDay.adding(days: -1).adding(minutes: 2 * 60 + mix % 60)
        guard queried <= now else { return nil }
        let active = mix % 20 != 7
        let details: JSONObject = [
            "plan_name": .string(card.planName), "member_id": .string(card.idNumber),
            "copay": .string(active ? Money.format(Double([10, 20, 25, 30, 40][mix % 5])) : ""),
            "message": .string(active ? "Active coverage" : "Coverage not found or terminated"),
        ]
        return .object([
            "id": .int(idOffset + visit.id), "appointment": .string(String(visit.id)), "patient": .string(String(patient)),
            "eligibility": .string(active ? "1" : "6"), "payer_name": .string(card.company), "request_service_type": "30",
            "service_type_description": "Health Benefit Plan Coverage", "cob_level": "Primary Insurance",
            "query_date": .string(queried.description), "updated_at": .string(queried.description),
            "coverage_details": .string(JSONValue.object(details).serializedString),
            "coverage_subscriber": .string(
                JSONValue.object(["member_id": .string(card.idNumber), "relationship": .string(card.relationship)]).serializedString),
        ])
    }
}
