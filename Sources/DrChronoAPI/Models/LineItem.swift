/// A billing line item on an appointment.
public struct LineItem: Sendable, Equatable, Identifiable {
    public var id: Int
    public var appointment: String?
    public var patient: Int?, doctor: Int?
    public var code: String
    /// `C` CPT, `H` HCPCS, `U` custom, `S`.
    public var procedureType: String
    public var description: String
    public var modifiers: [String]
    public var diagnosisPointers: [String]
    public var units: String
    public var quantity: Double
    /// In cents, so totals add up exactly; DrChrono sends money as numbers or strings.
    public var priceCents: Int
    public var serviceDate: String?
    public var updatedAt: LocalDateTime?
    public var raw: JSONObject

    /// What was paid on it and what is still owed, as DrChrono keeps the claim's account
    /// (in cents; money arrives as numbers or as strings); whether the payer denied it.
    public var paidCents: Int { cents("paid_total") }
    public var balanceCents: Int { cents("balance_total") }
    public var insuranceBalanceCents: Int { cents("balance_ins") }
    public var patientBalanceCents: Int { cents("balance_pt") }
    public var denied: Bool { raw.bool("denied_flag") ?? false }
    /// Where the line stands as DrChrono says: DENIED, paid, or its billing status.
    public var standing: String {
        if denied { return "DENIED" }
        if paidCents > 0 { return balanceCents > 0 ? "part paid" : "paid" }
        return raw.string("billing_status") ?? ""
    }
    /// Whether DrChrono sent the claim's account with it (a line made here has none yet).
    public var hasAccount: Bool { raw["balance_total"] != nil }

    private func cents(_ key: String) -> Int {
        (raw[key]?.doubleValue ?? raw.string(key).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }).flatMap(LineItem.cents) ?? 0
    }

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        appointment = json.string("appointment")
        patient = json.int("patient")
        doctor = json.int("doctor")
        code = json.string("code") ?? ""
        procedureType = json.string("procedure_type") ?? ""
        description = json.string("description") ?? ""
        modifiers = json.strings("modifiers")
        diagnosisPointers = json.strings("diagnosis_pointers")
        units = json.string("units") ?? ""
        // Not a number (NaN) would not even store: read as DrChrono's default, 1.
        quantity = json.double("quantity").flatMap { $0.isNaN ? nil : $0 } ?? 1
        priceCents = json.double("price").flatMap(LineItem.cents) ?? 0
        serviceDate = json.string("service_date")
        updatedAt = json.dateTime("updated_at")
        raw = json
    }

    /// Whole cents, or nil for an amount no practice bills (see ``Money/init(amount:)``).
    static func cents(_ amount: Double) -> Int? { Money(amount: amount).map { Int($0.cents) } }
}
