/// How a patient paid (DrChrono's `payment_method`).
public enum PaymentMethod: String, Sendable, CaseIterable {
    case cash = "CASH"
    case creditCard = "CRDT"
    case debitCard = "DBIT"
    case check = "CHCK"
    case other = "OTHR"

    /// "Credit card", as the form offers it.
    public var label: String {
        switch self {
        case .cash: "Cash"
        case .creditCard: "Credit card"
        case .debitCard: "Debit card"
        case .check: "Check"
        case .other: "Other"
        }
    }
}

/// What a payment is for (DrChrono's `payment_transaction_type`).
public enum PaymentKind: String, Sendable, CaseIterable {
    case copay = "COPAY"
    case coinsurance = "COINSR"
    case other = "OTHR"
    /// Toward the patient's balance, no visit's share in particular.
    case onAccount = ""

    public var label: String {
        switch self {
        case .copay: "Copay"
        case .coinsurance: "Coinsurance"
        case .other: "Other"
        case .onAccount: "On account"
        }
    }
}
