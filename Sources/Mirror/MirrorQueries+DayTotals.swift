import DrChronoAPI
import GRDB

/// The end of a biller's day: what was charged, adjusted and paid, per office and doctor.
extension MirrorQueries {
    /// One office and doctor's share of a day.
    public struct DayTotal: Sendable, Equatable {
        public var office: String
        public var doctor: String
        /// Line items on the day's visits (by date of service), and what they billed.
        public var charges = 0
        public var chargedCents = 0
        /// DrChrono's adjustments (write-offs) on those line items.
        public var adjustmentCents = 0
        /// What insurers paid on them.
        public var insurancePaidCents = 0
        /// Payments the desk received that day (copays and others), by when received.
        public var payments = 0
        public var paymentCents = 0
        /// Charges or payments still in the write queue, counted above.
        public var queued = 0

        public init(office: String, doctor: String) { (self.office, self.doctor) = (office, doctor) }

        /// What remains to collect on the day's charges: billed less adjustments and all payments.
        public var netCents: Int {
            [adjustmentCents, insurancePaidCents, paymentCents].reduce(chargedCents) { $0.subtracting(saturating: $1) }
        }

        mutating func add(_ other: DayTotal) {
            charges += other.charges
            chargedCents = chargedCents.adding(saturating: other.chargedCents)
            adjustmentCents = adjustmentCents.adding(saturating: other.adjustmentCents)
            insurancePaidCents = insurancePaidCents.adding(saturating: other.insurancePaidCents)
            payments += other.payments
            paymentCents = paymentCents.adding(saturating: other.paymentCents)
            queued += other.queued
        }
    }

    /// The day's totals per office and doctor (ordered by office, then doctor): line items
    /// on visits of `day` and payments received on `day`. A payment on no visit counts
    /// under its doctor with no office.
    public static func dayTotals(_ db: Database, day: String) throws -> [DayTotal] {
        let doctors = try Dictionary(
            uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, first_name, last_name FROM doctors").map { row in
                (row["id"] as Int, "Dr. " + ((row["last_name"] as String?) ?? ""))
            })
        let offices = try Dictionary(
            uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, name FROM offices").map { ($0["id"] as Int, $0["name"] as String) })
        var totals: [String: DayTotal] = [:]
        func total(office: Int?, doctor: Int?) -> String {
            let officeName = office.flatMap { offices[$0] } ?? "No office"
            let doctorName = doctor.flatMap { doctors[$0] } ?? "No doctor"
            let key = officeName + "\u{1F}" + doctorName
            if totals[key] == nil { totals[key] = DayTotal(office: officeName, doctor: doctorName) }
            return key
        }
        func cents(_ value: Double?) -> Int { value.flatMap(Money.init(amount:)).map { Int($0.cents) } ?? 0 }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT a.office_id, a.doctor_id, li.price_cents, li.quantity, li.pending,
                       CAST(json_extract(li.raw, '$.adjustment') AS REAL) AS adjustment,
                       coalesce(CAST(json_extract(li.raw, '$.ins1_paid') AS REAL), 0)
                         + coalesce(CAST(json_extract(li.raw, '$.ins2_paid') AS REAL), 0)
                         + coalesce(CAST(json_extract(li.raw, '$.ins3_paid') AS REAL), 0) AS insurance
                FROM line_items li JOIN appointments a ON a.id = li.appointment_id
                WHERE a.day = ?
                """, arguments: [day])
        {
            let key = total(office: row["office_id"], doctor: row["doctor_id"])
            totals[key]!.charges += 1
            let charged = Money.line(priceCents: row["price_cents"], quantity: row["quantity"])
            totals[key]!.chargedCents = totals[key]!.chargedCents.adding(saturating: charged)
            totals[key]!.adjustmentCents = totals[key]!.adjustmentCents.adding(saturating: cents(row["adjustment"]))
            totals[key]!.insurancePaidCents = totals[key]!.insurancePaidCents.adding(saturating: cents(row["insurance"]))
            if row["pending"] as Bool { totals[key]!.queued += 1 }
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT a.office_id, coalesce(p.doctor_id, a.doctor_id) AS doctor_id, p.amount_cents, p.pending
                FROM patient_payments p LEFT JOIN appointments a ON a.id = p.appointment_id
                WHERE p.received_date = ?
                """, arguments: [day])
        {
            let key = total(office: row["office_id"], doctor: row["doctor_id"])
            totals[key]!.payments += 1
            totals[key]!.paymentCents = totals[key]!.paymentCents.adding(saturating: row["amount_cents"] as Int)
            if row["pending"] as Bool { totals[key]!.queued += 1 }
        }
        return totals.values.sorted { ($0.office, $0.doctor) < ($1.office, $1.doctor) }
    }

    /// The rows added up: each office's, then the day's.
    public static func sum(_ totals: [DayTotal], office: String? = nil) -> DayTotal {
        var sum = DayTotal(office: office ?? "All offices", doctor: "")
        for total in totals where office == nil || total.office == office { sum.add(total) }
        return sum
    }
}
