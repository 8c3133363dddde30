import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The payment form: a copay at check-in (the patient's copay filled in), or any
/// payment on a visit. At check-in Enter checks the patient in and records the
/// payment together; "not today" checks in without one.
public struct PaymentForm: Sendable, Equatable {
    public var patient: Int
    public var patientName: String
    public var appointment: String?
    /// Opened by checking the patient in: the check-in is queued with it.
    public var checkIn: Bool
    /// The patient's copay, in cents, where DrChrono has one.
    public var copayCents: Int?
    /// At check-in: take the payment now (else check in without one).
    public var collectNow = true
    public var amount: TextField
    public var method = 0
    public var kind = 0
    /// 0 collect now (check-in only), 1 amount, 2 method, 3 type.
    public var field: Field
    public var problems: [WriteProblem] = []

    /// How a patient pays, in the order the form offers them.
    public static let methods = PaymentMethod.allCases
    /// What a payment is for, in the order the form offers them.
    public static let kinds = PaymentKind.allCases
    /// The form's fields: whether the copay is taken now (at check-in only), the amount,
    /// how it was paid, what for.
    public enum Field: FormField {
        case copay, amount, method, type

        public var title: String {
            switch self {
            case .copay: "Copay"
            case .amount: "Amount"
            case .method: "Method"
            case .type: "Type"
            }
        }
    }

    public init(patient: Int, patientName: String, appointment: String?, checkIn: Bool, copayCents: Int?) {
        (self.patient, self.patientName, self.appointment, self.checkIn, self.copayCents) = (
            patient, patientName, appointment, checkIn, copayCents
        )
        amount = TextField(copayCents.map { BillingModel.money($0).replacingOccurrences(of: "$", with: "") } ?? "", limit: 10)
        field = checkIn ? .copay : .amount
        kind = copayCents == nil ? 2 : 0
    }

    public var title: String {
        let copay = copayCents.map { " — copay \(BillingModel.money($0))" } ?? ""
        return checkIn ? "Check in \(patientName)\(copay)" : "Payment from \(patientName)"
    }

    /// The fields Tab visits: the copay question only at check-in.
    public var fields: [Field] { checkIn ? Field.allCases : [.amount, .method, .type] }

    /// Handles a key; answers true when the person submitted the form.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .enter: return true
        case .tab, .down, .backTab, .up:
            let step = key == .tab || key == .down ? 1 : -1
            field = fields[((fields.firstIndex(of: field) ?? 0) + step + fields.count) % fields.count]
        case .left, .right:
            let step = key == .left ? -1 : 1
            switch field {
            case .copay: collectNow.toggle()
            case .method: method = (method + step + Self.methods.count) % Self.methods.count
            case .type: kind = (kind + step + Self.kinds.count) % Self.kinds.count
            case .amount: break
            }
        default:
            if field == .amount { amount.handle(key) }
        }
        problems = []
        return false
    }

    /// What is wrong with what was typed.
    public var entryProblems: [WriteProblem] {
        guard !checkIn || collectNow else { return [] }
        guard let cents = ChargeForm.cents(amount.text) else {
            return [.error("amount", "Enter the amount in dollars, as 25 or 25.50.")]
        }
        if cents <= 0 { return [.error("amount", "A payment is more than $0.00 (a refund is the biller's).")] }
        if cents > 1_000_000 { return [.error("amount", "\(BillingModel.money(cents)) is more than a desk takes: check the amount.")] }
        return []
    }

    /// The payment as typed; nil when none is to be taken.
    public var payment: Outbox.Payment? {
        guard !checkIn || collectNow, entryProblems.isEmpty, let cents = ChargeForm.cents(amount.text) else { return nil }
        return Outbox.Payment(
            patient: patient, appointment: appointment, amountCents: cents, method: Self.methods[method].rawValue,
            kind: Self.kinds[kind].rawValue)
    }
}
