import DrChronoAPI
import Mirror
import Practice

/// The billing pane: a day's visits, and the selected one's line items with totals.
public struct BillingModel: Sendable, Equatable {
    public var day: LocalDateTime
    public private(set) var visits: [Appointment] = []
    public private(set) var names: [Int: String] = [:]
    public private(set) var doctors: [Doctor] = []
    public private(set) var lineItems: [LineItem] = []
    public var selected = 0
    public var top = 0
    public var visibleRows = 20
    /// A visit to select once the day is read (billing opened from the schedule).
    public var wanted: String?
    /// Each visit's billing status (its claim's), where one is set.
    public var billingStatuses: [String: String] = [:]
    /// The billing profile whose clash with the visit's charges was just said: a second
    /// Enter on it adds it.
    public var profileWarned: String?
    /// The selected visit's prices from the fee schedule (its doctor's, at its patient's
    /// payer), by code, in cents.
    public var prices: [String: Int] = [:]
    /// The practice's descriptions of its codes (its fee schedules').
    public var codeDescriptions: [String: String] = [:]
    /// What the selected visit's patient owes on all their line items (cents).
    public var accountBalance: Int?
    /// The notes on the selected visit's claim, oldest first (queued ones last).
    public var claimNotes: [ClaimNote] = []
    /// The practice's billing profiles.
    public var profiles: [MirrorQueries.BillingProfile] = []
    /// The statuses a biller picks from (DrChrono's; a practice may add its own).
    public static let claimStatuses = BillingStatus.allCases.map(\.rawValue)

    public init(day: LocalDateTime) { self.day = day.startOfDay }

    public var selectedVisit: Appointment? { visits.indices.contains(selected) ? visits[selected] : nil }

    public mutating func show(visits: [Appointment], names: [Int: String], doctors: [Doctor]) {
        let keep = wanted ?? selectedVisit?.id
        self.visits = visits.filter { !$0.isBreak }
        self.names = names
        self.doctors = doctors
        if let keep, let index = self.visits.firstIndex(where: { $0.id == keep }) { selected = index }
        wanted = nil
        move(by: 0)
    }

    public mutating func show(lineItems: [LineItem]) { self.lineItems = lineItems }

    public mutating func move(by delta: Int) {
        ListWindow.move(&selected, first: &top, by: delta, count: visits.count, visible: visibleRows)
    }

    public func name(of visit: Appointment) -> String { visit.patient.flatMap { names[$0] } ?? "Patient" }

    public func doctorName(_ id: Int?) -> String {
        doctors.first { $0.id == id }.map(\.displayName) ?? ""
    }

    /// The sum of price × quantity over the visit's line items, in cents.
    public var totalCents: Int {
        lineItems.reduce(0) { $0.adding(saturating: Money.line(priceCents: $1.priceCents, quantity: $1.quantity)) }
    }

    /// The visit's claim in a line: paid, still owed (by the payer and the patient),
    /// denied lines, and the patient's whole balance.
    public var accountLine: String {
        let paid = lineItems.reduce(0) { $0.adding(saturating: $1.paidCents) }
        let owed = lineItems.reduce(0) { $0.adding(saturating: $1.balanceCents) }
        let insurance = lineItems.reduce(0) { $0.adding(saturating: $1.insuranceBalanceCents) }
        let patient = lineItems.reduce(0) { $0.adding(saturating: $1.patientBalanceCents) }
        let denied = lineItems.filter(\.denied).count
        var line =
            "Paid \(Self.money(paid)) · owed \(Self.money(owed)) (insurance \(Self.money(insurance)), patient \(Self.money(patient)))"
        if denied > 0 { line += " · \(denied) DENIED" }
        if let accountBalance { line += " · patient's balance \(Self.money(accountBalance))" }
        return line
    }

    /// Where the visit's claim stands with its insurers, as DrChrono sent it (`last_billed_date`,
    /// `ins1_status`, `ins2_status`): nil before it was billed.
    public static func claimLine(_ visit: Appointment) -> String? {
        var parts: [String] = []
        if let billed = visit.raw.string("last_billed_date"), !billed.isEmpty { parts.append("billed \(billed)") }
        if let primary = visit.primaryInsurerAnswer { parts.append("primary insurer: \(primary.text)") }
        if let secondary = visit.secondaryInsurerAnswer { parts.append("secondary: \(secondary.text)") }
        return parts.isEmpty ? nil : "Claim " + parts.joined(separator: " · ")
    }

    /// A note on the claim in a line: "3/4/2026 9:12 am · billing1 · Resubmitted with … · queued".
    public static func claimNoteLine(_ note: ClaimNote, dot: String) -> String {
        let when = note.at.map { "\($0.usDate) \($0.clock)" }
        return ([when, note.by.isEmpty ? nil : note.by, note.text, note.waiting ? "queued" : nil] as [String?])
            .compactMap { $0 }.joined(separator: " \(dot) ")
    }

    /// Cents as dollars: 12500 → "$125.00".
    public static func money(_ cents: Int) -> String { Money(cents: cents).formatted }
}
