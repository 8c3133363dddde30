import Foundation
import Mirror

/// How the daemon spends the hour: each resource's pace, stretched when the hour's
/// requests run short so that the profile never reaches DrChrono's ceiling and stalls
/// until the top of the hour.
///
/// The order of what gives way: first everything but what is kept fresh — today's
/// schedule and the patients' details the desk reads out (``keptFresh``) — up to
/// ``maxStretch`` times slower, then those themselves, together — only when the hour has
/// no room left even for them, because people (their chart loads, their writes) or
/// other programs of the application spent it. A first load that spent the hour's share
/// slows the rest, never a patient's phone number.
///
/// ```swift
/// let paces = SyncPlan.polling.paces(
///     hour: .init(spent: 40, secondsLeft: 1800, backgroundCeiling: 425),
///     costs: [.appointments: 1])
/// paces[.appointments]  // 45: the schedule keeps its pace while the hour has room
/// ```
public struct SyncPlan: Sendable, Equatable {
    /// Requests an hour the whole profile aims to stay under in steady state: under a
    /// quarter of DrChrono's 500.
    public var hourlyShare = 120
    /// Each resource's pace while the hour has room.
    public var cadence: [MirrorResource: TimeInterval]
    /// How much slower than its pace anything but the schedule may become.
    public var maxStretch = 8.0
    /// Requests kept back from the background ceiling (the budget's limit for sync),
    /// so a pass that pages more than expected does not reach it.
    public var margin = 10
    /// What keeps its pace while the hour has any room: the schedule (45 s) and the
    /// patients (5 minutes; 12 requests an hour).
    public var keptFresh: Set<MirrorResource> = [.appointments, .patients]
    /// The DrChrono logins a pass reads through (``GrantedSync``'s readers): each reads
    /// its doctors' schedule, so keeping it fresh costs that many times as much. What
    /// one login's schedule costs keeps its pace past the share, as ever; the readers
    /// together keep theirs only within the share — the hour is the practice's, and its
    /// people's consoles need the rest — so with three logins the schedule is read about
    /// half as often (webhooks, or a login that sees every doctor, bring it back).
    public var readers = 1

    public init(cadence: [MirrorResource: TimeInterval]) { self.cadence = cadence }

    /// Polling alone keeps today's schedule fresh: appointments every 45 s.
    ///
    /// | what | every | requests an hour (one page each) |
    /// |---|---|---|
    /// | appointments (today's schedule among them) | 45 s | 80 |
    /// | patients | 5 min | 12 |
    /// | clinical notes, line items | 10 min | 12 |
    /// | problems, medications, allergies | 30 min | 6 |
    /// | documents (the console's own arrive at once) | 60 min | 1 |
    /// | doctors, offices, profiles | 60 min | 3 |
    /// | the day's payments (copays other desks took) | 20 min | 3 |
    /// | lab orders (and the results of today's patients' new ones) | 60 min | 1 + one per order with new results |
    /// | eligibility of today's and tomorrow's visits (DrChrono checks at night), line items voided elsewhere, results entered in charts | 2 h | 1½ |
    /// | doctors' work schedules, fee schedules, note templates (their field types) | 8 h | ¼ (a `large` practice's fee schedules are 24 pages: 3) |
    /// | billing profiles | a day | — |
    ///
    /// About 120 an hour on a quiet practice, the share; on a busy one a pass can page,
    /// and the plan stretches the rest to make room.
    public static let polling = SyncPlan(cadence: [
        .appointments: 45, .patients: 300, .clinicalNotes: 600, .lineItems: 600,
        .problems: 1800, .medications: 1800, .allergies: 1800, .documents: 3600,
        .doctors: 3600, .offices: 3600, .appointmentProfiles: 3600, .clinicalNoteFieldTypes: 28_800,
        .patientPayments: 1200, .eligibilityChecks: 7200, .workSchedules: 28_800, .lineItemDeletions: 7200, .feeSchedules: 28_800,
        .billingProfiles: 86_400, .labOrders: 3600, .patientLabResults: 7200,
    ])

    /// DrChrono's webhooks bring appointments, patients and notes as they change (at no
    /// request), so polling only catches what a lost hook missed: appointments every
    /// 5 minutes, patients and notes every 15. About 40 requests an hour.
    public static let withWebhooks: SyncPlan = {
        var plan = SyncPlan.polling
        plan.cadence[.appointments] = 300
        plan.cadence[.patients] = 900
        plan.cadence[.clinicalNotes] = 900
        return plan
    }()

    /// Where the hour stands.
    public struct Hour: Sendable, Equatable {
        /// Requests every process of the profile has spent this hour.
        public var spent: Int
        /// Seconds until DrChrono's window turns over.
        public var secondsLeft: Double
        /// How many of the hour's requests background work may use.
        public var backgroundCeiling: Int

        public init(spent: Int, secondsLeft: Double, backgroundCeiling: Int) {
            (self.spent, self.secondsLeft, self.backgroundCeiling) = (spent, secondsLeft, backgroundCeiling)
        }
    }

    /// Each resource's pace for the rest of `hour`, given what one pass of each costs
    /// (requests; one when unknown).
    public func paces(hour: Hour, costs: [MirrorResource: Double]) -> [MirrorResource: TimeInterval] {
        let left = max(1, hour.secondsLeft)
        func projected(_ resource: MirrorResource) -> Double { left / cadence[resource, default: 3600] * max(1, costs[resource] ?? 1) }
        let schedule = cadence.keys.filter(keptFresh.contains).map(projected).reduce(0, +)
        let rest = cadence.keys.filter { !keptFresh.contains($0) }.map(projected).reduce(0, +)
        let hard = Double(hour.backgroundCeiling - margin - hour.spent)
        // What keeping the schedule fresh may claim past the share: one login's worth, or
        // with several no more than the share itself (of what is left of the hour).
        let protected = min(schedule, max(Double(hourlyShare) * left / 3600, schedule / Double(max(1, readers))))
        // The share, unless keeping the schedule fresh (and the rest at its slowest)
        // needs more and the ceiling allows it.
        let allowance = min(hard, max(Double(hourlyShare - hour.spent), protected + rest / maxStretch))
        var scheduleStretch = 1.0
        var restStretch = 1.0
        if allowance <= 0 {
            // Nothing left to spend: come back when the hour turns over.
            return cadence.mapValues { max($0, left + 1) }
        } else if schedule + rest > allowance {
            if allowance - schedule >= rest / maxStretch {
                restStretch = rest / (allowance - schedule)
            } else {
                restStretch = maxStretch
                let room = allowance - rest / maxStretch
                scheduleStretch = room > 0 ? schedule / room : .infinity
            }
        }
        var paces: [MirrorResource: TimeInterval] = [:]
        for (resource, pace) in cadence {
            // The next hour plans afresh: a pace stretched past it is only until then.
            paces[resource] = pace * (keptFresh.contains(resource) ? scheduleStretch : restStretch)
        }
        return paces
    }
}
