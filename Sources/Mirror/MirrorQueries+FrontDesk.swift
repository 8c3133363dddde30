import DrChronoAPI
import Foundation
import GRDB

/// What the front desk reads around a visit: copays, payments taken, eligibility.
extension MirrorQueries {
    /// Each patient's copay in cents (DrChrono's `copay` on the patient), where set.
    public static func copays(_ db: Database, patients: some Collection<Int>) throws -> [Int: Int] {
        var copays: [Int: Int] = [:]
        try eachRow(db, "SELECT id, copay FROM patients WHERE id IN", Array(Set(patients))) { row in
            // Trimmed by hand: Foundation's trimming cost more than the row's read.
            var text = Substring(row[1] as String? ?? "")
            while text.first?.isWhitespace == true { text.removeFirst() }
            while text.last?.isWhitespace == true { text.removeLast() }
            if let amount = Double(text), amount > 0 {
                copays[row[0]] = Int((amount * 100).rounded())
            }
        }
        return copays
    }

    /// What was paid on each visit (cents), pending payments included.
    public static func paid(_ db: Database, appointments: some Collection<String>) throws -> [String: Int] {
        var paid: [String: Int] = [:]
        try eachRow(
            db, "SELECT appointment_id, amount_cents FROM patient_payments WHERE appointment_id IN", Array(Set(appointments))
        ) { row in
            let id: String = row[0]
            paid[id] = paid[id, default: 0].adding(saturating: row[1] as Int)
        }
        return paid
    }

    /// The latest eligibility check DrChrono ran for each visit that has one.
    public static func eligibility(_ db: Database, appointments: some Collection<String>) throws -> [String: EligibilityCheck] {
        var checks: [String: EligibilityCheck] = [:]
        try eachRow(
            db, "SELECT appointment_id, eligibility, payer_name, query_date FROM eligibility_checks WHERE appointment_id IN",
            Array(Set(appointments))
        ) { row in
            let check = EligibilityCheck(code: row[1], payer: row[2], checkedAt: (row[3] as String?).flatMap(LocalDateTime.init))
            let id: String = row[0]
            if let held = checks[id],
                (held.checkedAt ?? .init(year: 1, month: 1, day: 1)) >= (check.checkedAt ?? .init(year: 1, month: 1, day: 1))
            {
                return
            }
            checks[id] = check
        }
        return checks
    }

    /// Each patient's phone numbers as the desk dials them: cell first, then home.
    public static func phones(_ db: Database, patients: some Collection<Int>) throws -> [Int: [String]] {
        var phones: [Int: [String]] = [:]
        try eachRow(db, "SELECT id, cell_phone, home_phone FROM patients WHERE id IN", Array(Set(patients))) { row in
            phones[row["id"]] = [row["cell_phone"] as String, row["home_phone"] as String].filter { !$0.isEmpty }.map(formatPhone)
        }
        return phones
    }

    /// "5550103344" → "(555) 010-3344"; other lengths as stored.
    public static func formatPhone(_ digits: String) -> String {
        let d = Array(digits.hasPrefix("1") && digits.count == 11 ? String(digits.dropFirst()) : digits)
        guard d.count == 10 else { return digits }
        return "(\(String(d[0..<3]))) \(String(d[3..<6]))-\(String(d[6..<10]))"
    }

    /// The practice's own words for its codes, from the visit's doctor's fee schedule: CPT's
    /// descriptions are the AMA's, so these are the only ones shown.
    ///
    /// Read at each move of billing's cursor: only the doctor's base rows (one a code,
    /// through the doctor's index), not the whole practice's schedules.
    public static func feeDescriptions(_ db: Database, doctor: Int) throws -> [String: String] {
        var descriptions: [String: String] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT code, json_extract(raw, '$.description') AS description FROM fee_schedules
                WHERE doctor_id = ? AND payer_id = ''
                """, arguments: [doctor])
        {
            if let words = row["description"] as String?, !words.isEmpty { descriptions[row["code"]] = words }
        }
        return descriptions
    }

    /// The prices a visit's charges take: its doctor's fee schedule at its patient's payer
    /// (empty for a visit without a doctor). The one rule the console's charge form and
    /// the agent's `add_charge` price by.
    public static func feePrices(_ db: Database, for visit: Appointment) throws -> [String: Int] {
        guard let doctor = visit.doctor else { return [:] }
        return try feePrices(db, doctor: doctor, payer: try visit.patient.flatMap { try payerId(db, patient: $0) })
    }

    /// The price (cents) of each code the practice's fee schedule lists for `doctor`:
    /// the payer's agreed (insured) price where the schedule has one for `payer`, else
    /// the base price.
    public static func feePrices(_ db: Database, doctor: Int, payer: String?) throws -> [String: Int] {
        var prices: [String: Int] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT code, payer_id, base_cents, insured_cents FROM fee_schedules WHERE doctor_id = ? ORDER BY payer_id != ''",
            arguments: [doctor])
        {
            let code: String = row["code"]
            let rowPayer: String = row["payer_id"]
            if rowPayer.isEmpty, let base = row["base_cents"] as Int? { prices[code] = base }
            if !rowPayer.isEmpty, rowPayer == payer, let insured = row["insured_cents"] as Int? { prices[code] = insured }
        }
        return prices
    }

    /// A billing profile: a name and the charges it adds.
    public struct BillingProfile: Sendable, Equatable {
        public var id: Int
        public var name: String
        /// Each code, with its type: `C` CPT or `H` HCPCS.
        public var codes: [String]
        public var types: [String]
        public var diagnoses: [String]
    }

    /// The practice's billing profiles still in use, by name.
    public static func billingProfiles(_ db: Database) throws -> [BillingProfile] {
        try Row.fetchAll(db, sql: "SELECT raw FROM billing_profiles WHERE archived = 0 ORDER BY name, id").compactMap { row in
            guard let raw = (row["raw"] as String?).flatMap({ try? JSONValue.parse(Data($0.utf8)) })?.objectValue, let id = raw.int("id")
            else { return nil }
            func codes(_ key: String) -> [String] {
                raw.array(key).compactMap { $0.objectValue?.string("code") ?? $0.stringValue }.map { $0.uppercased() }
            }
            let cpt = codes("cpt_codes")
            let hcpcs = codes("hcpcs_codes")
            return BillingProfile(
                id: id, name: raw.string("name") ?? "", codes: cpt + hcpcs,
                types: Array(repeating: "C", count: cpt.count) + Array(repeating: "H", count: hcpcs.count),
                diagnoses: raw.array("icd10_codes").compactMap { $0.stringValue ?? $0.objectValue?.string("code") })
        }
    }

    /// What a patient owes on the practice's books: the balances of their line items
    /// (cents), as DrChrono last sent them.
    public static func patientBalance(_ db: Database, patient: Int) throws -> Int {
        let total = try Double.fetchOne(
            db, sql: "SELECT SUM(CAST(json_extract(raw, '$.balance_total') AS REAL)) FROM line_items WHERE patient_id = ?",
            arguments: [patient])
        // An absurd balance from DrChrono (not finite, past ten trillion dollars) reads as none.
        return total.flatMap(Money.init(amount:)).map { Int($0.cents) } ?? 0
    }

    /// A patient's primary payer id, from their card.
    public static func payerId(_ db: Database, patient: Int) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT json_extract(raw, '$.primary_insurance.insurance_payer_id') FROM patients WHERE id = ?", arguments: [patient])
    }

    /// Each visit's billing status, where the biller (or DrChrono) set one.
    public static func billingStatuses(_ db: Database, appointments: some Collection<String>) throws -> [String: String] {
        var statuses: [String: String] = [:]
        try eachRow(
            db, "SELECT id, json_extract(raw, '$.billing_status') AS status FROM appointments WHERE id IN", Array(Set(appointments))
        ) { row in
            if let status = row["status"] as String?, !status.isEmpty { statuses[row["id"]] = status }
        }
        return statuses
    }

    /// The latest eligibility check for a patient's visits (the chart shows it).
    public static func latestEligibility(_ db: Database, patient: Int) throws -> EligibilityCheck? {
        try Row.fetchOne(
            db,
            sql: "SELECT eligibility, payer_name, query_date FROM eligibility_checks WHERE patient_id = ? ORDER BY query_date DESC LIMIT 1",
            arguments: [patient]
        ).map {
            EligibilityCheck(
                code: $0["eligibility"], payer: $0["payer_name"], checkedAt: ($0["query_date"] as String?).flatMap(LocalDateTime.init))
        }
    }

    /// A payment taken on `day`, for the collections list.
    public struct CollectedPayment: Sendable, Equatable {
        public var id: Int
        public var patientName: String
        public var appointment: String?
        public var amountCents: Int
        public var method: String
        public var kind: String
        /// Who took it: the practice's person at the console, else DrChrono's user.
        public var desk: String
        public var pending: Bool
        public var at: LocalDateTime?
    }

    /// The payments received on `day` (`YYYY-MM-DD`), by desk then time.
    public static func collections(_ db: Database, day: String) throws -> [CollectedPayment] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT p.id, p.appointment_id, p.amount_cents, p.method, p.kind, p.pending, p.updated_at,
                       coalesce(nullif(p.person, ''), nullif(p.created_by, ''), '—') AS desk,
                       pt.first_name, pt.last_name
                FROM patient_payments p LEFT JOIN patients pt ON pt.id = p.patient_id
                WHERE p.received_date = ?
                ORDER BY desk, p.updated_at, p.id
                """, arguments: [day]
        ).map { row in
            let first: String = row["first_name"] ?? ""
            let last: String = row["last_name"] ?? ""
            return CollectedPayment(
                id: row["id"], patientName: last.isEmpty ? first : "\(last), \(first)", appointment: row["appointment_id"],
                amountCents: row["amount_cents"], method: row["method"], kind: row["kind"], desk: row["desk"], pending: row["pending"],
                at: (row["updated_at"] as String?).flatMap(LocalDateTime.init))
        }
    }
}

/// An eligibility check's answer, as the desk reads it.
public struct EligibilityCheck: Sendable, Equatable {
    /// DrChrono's `eligibility` code: `1`–`5` active, `6`–`8` inactive, others details.
    public var code: String
    public var payer: String
    public var checkedAt: LocalDateTime?

    public init(code: String, payer: String, checkedAt: LocalDateTime?) {
        (self.code, self.payer, self.checkedAt) = (code, payer, checkedAt)
    }

    public var isActive: Bool { ["1", "2", "3", "4", "5"].contains(code) }
    public var isInactive: Bool { ["6", "7", "8"].contains(code) }

    /// "eligible (Summit PPO, checked 3/3)", "coverage INACTIVE (Summit PPO)".
    public var summary: String {
        let when = checkedAt.map { ", checked \($0.month)/\($0.day)" } ?? ""
        if isActive { return "eligible (\(payer)\(when))" }
        if isInactive { return "coverage INACTIVE (\(payer)\(when))" }
        return "eligibility \(code) (\(payer)\(when))"
    }
}
