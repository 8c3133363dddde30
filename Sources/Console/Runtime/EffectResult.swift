import CodeSets
import DrChronoAPI
import Foundation
import Mirror
import Practice

/// What came back from performing an effect: the update function's second input, as
/// in Bubble Tea. `ConsoleSession` performs effects and hands their results to
/// `ConsoleModel.handle(_:)`; only the model changes what the console shows.
public enum EffectResult: Sendable {
    /// Rows read from the mirror for a pane.
    case loaded(Loaded)
    /// What the mirror knows that bears on a booking the person submitted: the model
    /// checks it (``BookingCheck``) and queues it, or shows what is wrong.
    case bookingFacts(BookingDraft, BookingFacts)
    /// Charts already in the practice under a registration's name and birth date.
    case patientFacts(PatientDraft, duplicates: [MirrorQueries.ExistingPatient])
    /// A typed path's completions (folder entries, folders with their slash).
    case pathCompletions(String, [String])
    /// What the ICD-10-CM list says of the diagnosis field's text.
    case diagnosesLookedUp(DiagnosisLookup)
    /// What is wrong with a file to attach; nothing was queued.
    case attachProblems([WriteProblem])
    /// The free slots found for a search.
    case slotsFound([SlotFinder.Slot])
    /// A patient's record, to change (nil: no longer in the mirror).
    case patientToChange(JSONObject?)
    /// The write is in the queue (with its effect on the mirror).
    case queued(ConsoleWrite)
    /// The write could not be queued, in a few words (the disk is full …): nothing
    /// was saved.
    case notQueued(String)
    /// The answer about a passphrase typed at the lock.
    case unlock(UnlockAnswer)
    /// A theme was asked for; the problem when it could not be used.
    case theme(String, problem: String?)
    /// The mirror could not be read, in a few words.
    case readFailed(String)
    /// The person at this console was removed from the practice's people: the console
    /// closes (queued writes stay queued).
    case personRemoved
    /// A document fetched and read (or why not).
    case documentRead(DocumentReading)
    /// A document saved where the person asked (nil), or why not.
    case documentSaved(String, problem: String?)
    /// The audit trail could not be written, in a few words.
    case auditFailed(String)
    /// News from the sync side for the status bar: all of it at once…
    case sync(SyncNews)
    /// …or one piece as it happens.
    case syncUpdate(SyncUpdate)
}

/// What the sync side tells the status bar: who is logged in, how fresh the copy is,
/// the hour's requests left.
public struct SyncNews: Sendable, Equatable {
    public var user: String
    public var sync: StatusInfo.Sync
    public var lastSync: Date?
    public var budgetLeft: Int?
    public var budgetHourly: Int?
    /// When DrChrono's side of today's schedule was last read whole (by whichever
    /// process of the profile syncs it).
    public var scheduleAsOf: Date?

    public init(
        user: String, sync: StatusInfo.Sync, lastSync: Date?, budgetLeft: Int?, budgetHourly: Int?, scheduleAsOf: Date? = nil
    ) {
        (self.user, self.sync, self.lastSync, self.budgetLeft, self.budgetHourly) = (user, sync, lastSync, budgetLeft, budgetHourly)
        self.scheduleAsOf = scheduleAsOf
    }
}

/// Rows for one pane (or the status bar), as the mirror holds them.
public enum Loaded: Sendable {
    case schedule(ScheduleData)
    case search([PatientRow], query: String)
    case chart(ChartData?)
    case billingDay(visits: [Appointment], names: [Int: String], doctors: [Doctor], statuses: [String: String])
    /// The selected visit's bill: its line items, prices, and claim notes.
    case lineItems(VisitBill)
    /// Writes queued, and how many of them DrChrono refused.
    case queue(queued: Int, needsAttention: Int)
    case payers([MirrorQueries.Payer])
    case collections([MirrorQueries.CollectedPayment])
    case dayTotals([MirrorQueries.DayTotal])
    case myDay([DayVisit])
    case confirmList([ConfirmList.Row])
}
