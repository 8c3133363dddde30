import DrChronoAPI

/// The biller's word on a visit's claim (DrChrono's `billing_status`), as the picker
/// offers them. A practice may add its own in DrChrono; those are shown as they are.
public enum BillingStatus: String, Sendable, CaseIterable {
    /// Sends the claim.
    case billInsurance = "Bill Insurance"
    case billSecondaryInsurance = "Bill Secondary Insurance"
    case balanceDue = "Balance Due"
    case internalReview = "Internal Review"
    case paidInFull = "Paid In Full"
    case settled = "Settled"
    case autoAccidentClaim = "Auto Accident Claim"
    case workersCompClaim = "Worker's Comp Claim"
    case durableMedicalEquipmentClaim = "Durable Medical Equipment Claim"
}

/// What an insurer answered of a visit's claim (DrChrono's `ins1_status`, `ins2_status`).
public struct InsurerAnswer: Sendable, Equatable {
    /// As DrChrono says it: "Paid", "Denied", "Rejected – missing modifier" …
    public var text: String

    public init(_ text: String) { self.text = text }

    /// Whether the insurer refused it: the biller must act.
    public var isRefusal: Bool { text.contains("Denied") || text.hasPrefix("Rejected") }
}

extension Appointment {
    /// The primary insurer's answer on the visit's claim; nil before it was billed.
    public var primaryInsurerAnswer: InsurerAnswer? {
        raw.string("ins1_status").flatMap { $0.isEmpty ? nil : InsurerAnswer($0) }
    }

    /// The secondary insurer's answer; nil when there is none.
    public var secondaryInsurerAnswer: InsurerAnswer? {
        raw.string("ins2_status").flatMap { $0.isEmpty ? nil : InsurerAnswer($0) }
    }
}
