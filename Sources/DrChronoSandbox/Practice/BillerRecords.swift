import DrChronoAPI
import Foundation

/// A price the practice set for a code (`/api/fee_schedules`): per doctor, and for a
/// payer where the practice agreed a different one.
struct FeeScheduleRecord: Sendable {
    var id: Int
    var doctor: Int
    var code: String, codeType: String, description: String
    var payerId: String, planName: String
    var basePrice: Double, insuredPrice: Double, cashPrice: Double, allowedAmount: Double
    var updatedAt: LocalDateTime

    var json: JSONValue {
        .object([
            "id": .int(id), "doctor": .int(doctor), "office": .null, "code": .string(code), "code_type": .string(codeType),
            "description": .string(description), "billing_description": .string(description), "payer_id": .string(payerId),
            "plan_name": .string(planName), "base_price": .double(basePrice), "insured_price": .double(insuredPrice),
            "insured_out_of_network_price": .double(insuredPrice), "cash_price": .double(cashPrice),
            "allowed_amount": .double(allowedAmount), "cpt_hcpcs_modifier1": "", "cpt_hcpcs_modifier2": "", "cpt_hcpcs_modifier3": "",
            "cpt_hcpcs_modifier4": "", "ndc_code": "", "ndc_quantity": .null, "ndc_units": "UN", "picklist_category": "",
            "created_at": .string(updatedAt.description), "updated_at": .string(updatedAt.description),
        ])
    }
}

/// A named set of codes a visit usually bills (`/api/billing_profiles`).
struct BillingProfileRecord: Sendable {
    var id: Int
    var name: String
    var cpt: [String], hcpcs: [String], icd10: [String]
    var updatedAt: LocalDateTime

    var json: JSONValue {
        .object([
            "id": .int(id), "name": .string(name), "doctor": .null, "archived": false,
            "cpt_codes": .array(cpt.map(code)), "hcpcs_codes": .array(hcpcs.map(code)),
            "icd10_codes": .array(icd10.map { .string($0) }), "icd9_codes": [], "custom_procedure_codes": [],
            "created_at": .string(updatedAt.description), "updated_at": .string(updatedAt.description),
        ])
    }

    /// A CPT or HCPCS code object as a billing profile carries it, pointing at the profile's diagnoses.
    func code(_ code: String) -> JSONValue {
        .object([
            "code": .string(code), "quantity": "1", "modifiers": [], "ndc_code": [], "diagnosis_pointers_icd9": [],
            "diagnosis_pointers_icd10": .array(icd10.map { .string($0) }),
            "price": .string(Money.format((SyntheticPeople.cptCodes + SyntheticPeople.hcpcsCodes).first { $0.0 == code }?.2 ?? 0)),
        ])
    }
}

/// A lab order and its results (`/api/lab_orders`, `/api/lab_results`).
/// A result entered in the chart by hand (`/api/patient_lab_results`): an outside lab's
/// A1c, say, with the doctor's sign-off once they have reviewed it.
struct PatientLabResultRecord: Sendable {
    var id: Int
    var patient: Int, doctor: Int
    var title: String, loinc: String
    var value: Double, units: String, range: String
    /// DrChrono's `lab_abnormal_flag`: "H", "L", "N" (normal) …
    var flag: String
    var performed: LocalDateTime
    var signedOff: Bool
    var updatedAt: LocalDateTime

    var json: JSONValue {
        .object([
            "id": .int(id), "patient": .int(patient), "ordering_doctor": .int(doctor), "doctor_signoff": .bool(signedOff),
            "title": .string(title), "loinc_code": .string(loinc), "lab_result_value": .string(String(format: "%.1f", value)),
            "lab_result_value_as_float": .double(value), "lab_result_value_units": .string(units), "lab_normal_range": .string(range),
            "lab_normal_range_units": .string(units), "lab_abnormal_flag": .string(flag), "lab_order_status": "Results Received",
            "doctor_comments": "", "scanned_in_result": "", "lab_imported_from_ccr": "",
            "date_test_performed": .string(performed.description), "created_at": .string(performed.description),
            "updated_at": .string(updatedAt.description),
        ])
    }
}

struct LabOrderRecord: Sendable {
    var id: Int
    var patient: Int, doctor: Int
    var panel: String
    var icd10: [String]
    var at: LocalDateTime

    var json: JSONValue {
        .object([
            "id": .int(id), "patient": .int(patient), "doctor": .int(doctor), "sublab": .int(1), "status": "F",
            "priority": "N", "requisition_id": .string("REQ-\(id)"), "external_requisition_id": "", "accession_number": .string("A\(id)"),
            "notes": "", "documents": [],
            "icd10_codes": .array(
                icd10.map { code in
                    .object(["code": .string(code), "description": .string(SyntheticPeople.icd10.first { $0.0 == code }?.1 ?? "")])
                }), "timestamp": .string(at.description),
        ])
    }
}

struct LabResultRecord: Sendable {
    var id: Int
    var order: Int, doctor: Int
    var code: String, name: String
    var value: Double, unit: String, low: Double, high: Double
    var at: LocalDateTime

    /// `H` or `L` outside the normal range; nil within it.
    var abnormal: String? { value > high ? "H" : value < low ? "L" : nil }

    var json: JSONValue {
        .object([
            "id": .int(id), "lab_order": .string(String(order)), "lab_test": .int(order * 10 + id % 10), "document": .int(0),
            "status": "F", "test_performed": .string(name), "observation_code": .string(code), "observation_description": .string(name),
            "value": .string(String(format: "%.1f", value)), "value_is_numeric": true, "unit": .string(unit),
            "normal_range": .string(String(format: "%.1f-%.1f", low, high)), "is_abnormal": .string(abnormal == nil ? "" : "True"),
            "abnormal_status": .string(abnormal ?? ""), "comments": "", "group_code": "", "specimen_received": .string(at.description),
        ])
    }
}

/// A note on a visit's claim (`/api/claim_billing_notes`).
struct ClaimNoteRecord: Sendable {
    var id: Int
    var appointment: Int
    var text: String
    var createdBy: String
    var at: LocalDateTime

    var json: JSONValue {
        .object([
            "id": .int(id), "appointment": .int(appointment), "text": .string(text), "created_by": .string(createdBy),
            "created_at": .string(at.description),
        ])
    }
}

/// The biller's and clinician's lists of a synthetic practice, worked out from ids (the
/// seeded stream, and every test counting the practice's rows, stay as they were).
enum BillerPractice {
    static let profiles: [(name: String, cpt: [String], hcpcs: [String], icd10: [String])] = [
        ("Annual physical", ["99396", "36415", "85025"], [], ["Z00.00"]),
        ("Hypertension follow-up", ["99214"], [], ["I10"]),
        ("Diabetes visit", ["99214", "80053"], [], ["E11.9"]),
        ("Flu shot", ["90686", "90471"], ["G0008"], ["Z23"]),
    ]

    /// Panels: (name, [(code, observation, unit, low, high)]).
    static let panels: [(String, [(String, String, String, Double, Double)])] = [
        ("Basic metabolic panel", [("2345-7", "Glucose", "mg/dL", 70, 99), ("2160-0", "Creatinine", "mg/dL", 0.6, 1.3)]),
        ("Hemoglobin A1c", [("4548-4", "Hemoglobin A1c", "%", 4.0, 5.6)]),
        ("Lipid panel", [("2093-3", "Cholesterol, total", "mg/dL", 100, 199), ("2571-8", "Triglycerides", "mg/dL", 40, 149)]),
    ]

    static func generate(into practice: inout Practice, today: LocalDateTime) {
        let epoch = today.startOfDay.adding(days: -30)
        var feeId = 800_001
        for doctor in practice.doctors.ids {
            for (code, description, price) in SyntheticPeople.cptCodes + SyntheticPeople.hcpcsCodes {
                let type = SyntheticPeople.cptCodes.contains { $0.0 == code } ? "CPT" : "HCPCS"
                for (payer, plan, factor) in [("", "", 1.0), ("SBX01", "PPO", 0.9), ("SBX04", "Medicare", 0.8)] {
                    practice.feeSchedules.insert(
                        FeeScheduleRecord(
                            id: feeId, doctor: doctor, code: code, codeType: type, description: description, payerId: payer, planName: plan,
                            basePrice: price, insuredPrice: (price * factor * 100).rounded() / 100, cashPrice: (price * 0.85).rounded(),
                            allowedAmount: (price * factor * 0.7 * 100).rounded() / 100, updatedAt: epoch),
                        id: feeId)
                    feeId += 1
                }
            }
        }
        for (index, profile) in profiles.enumerated() {
            practice.billingProfiles.insert(
                BillingProfileRecord(
                    id: 850 + index, name: profile.name, cpt: profile.cpt, hcpcs: profile.hcpcs, icd10: profile.icd10, updatedAt: epoch),
                id: 850 + index)
        }
        // One patient in fifteen brought an outside A1c this month, entered in the chart; the
        // doctor signed off those more than a week old.
        var enteredId = 885_001
        for patientId in practice.patients.ids where patientId % 15 == 7 {
            guard let patient = practice.patients[patientId] else { continue }
            let mix = (patientId &* 2_654_435_761) & 0x7fff_ffff
            let value = 5.0 + Double(mix % 35) / 10
            let performed = epoch.adding(days: mix % 30).adding(minutes: 9 * 60)
            let signedOff = performed < today.adding(days: -7)
            practice.patientLabResults.insert(
                PatientLabResultRecord(
                    id: enteredId, patient: patientId, doctor: patient.doctor, title: "Hemoglobin A1c", loinc: "4548-4", value: value,
                    units: "%", range: "4.0-5.6", flag: value > 5.6 ? "H" : "N", performed: performed, signedOff: signedOff,
                    updatedAt: signedOff ? performed.adding(days: 2) : performed),
                id: enteredId)
            enteredId += 1
        }
        // One patient in twelve had labs drawn in the last month; one value in four is out of range.
        var orderId = 870_001
        var resultId = 880_001
        for patientId in practice.patients.ids where patientId % 12 == 5 {
            guard let patient = practice.patients[patientId] else { continue }
            let mix = (patientId &* 2_654_435_761) & 0x7fff_ffff
            let panel = panels[mix % panels.count]
            let at = epoch.adding(days: mix % 30).adding(minutes: 8 * 60 + mix % 480)
            practice.labOrders.insert(
                LabOrderRecord(id: orderId, patient: patientId, doctor: patient.doctor, panel: panel.0, icd10: ["Z00.00"], at: at),
                id: orderId)
            for (offset, test) in panel.1.enumerated() {
                let span = test.4 - test.3
                let roll = (mix / (offset + 3)) % 8
                let value = roll == 0 ? test.4 + span * 0.3 : roll == 1 ? test.3 - span * 0.2 : test.3 + span * Double(roll) / 8
                practice.labResults.insert(
                    LabResultRecord(
                        id: resultId, order: orderId, doctor: patient.doctor, code: test.0, name: test.1, value: value, unit: test.2,
                        low: test.3, high: test.4, at: at.adding(minutes: 6 * 60)),
                    id: resultId)
                resultId += 1
            }
            orderId += 1
        }
        // A few notes on claims of last month's visits, as a biller leaves them.
        var noteId = 890_001
        let visits = practice.appointmentIds(onDays: epoch.dayNumber...today.startOfDay.adding(days: -1).dayNumber).sorted()
        for (index, visitId) in visits.enumerated() where index % 25 == 7 {
            guard let visit = practice.appointments[visitId], visit.patient != nil, !visit.isBreak else { continue }
            practice.claimNotes.insert(
                ClaimNoteRecord(
                    id: noteId, appointment: visitId, text: "Resubmitted with corrected member ID", createdBy: "billing1",
                    at: visit.scheduledTime.adding(days: 3)),
                id: noteId)
            noteId += 1
        }
    }
}
