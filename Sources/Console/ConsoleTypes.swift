import DrChronoAPI
import Foundation
import Mirror
import Practice

/// A box drawn over the pane, taking the keys until it closes.
public enum Overlay: Sendable, Equatable {
    /// `?`: the pane's keys, scrolled down by `scroll` lines in a window too short for them.
    case help(scroll: Int = 0)
    case command(CommandPrompt)
    case goToDate(TextField, error: String?)
    case statusPicker(Appointment, selection: Int)
    case confirmCancel(Appointment, name: String)
    case confirmQuit(queued: Int)
    case booking(BookingForm)
    case charge(ChargeForm)
    case patient(PatientForm)
    case payment(PaymentForm)
    case collections(CollectionsList)
    case dayTotals(DayTotalsList)
    case myDay(MyDayList)
    case document(DocumentView)
    case confirmList(ConfirmList)
    case findSlot(FindSlotForm)
    case attach(AttachForm)
    /// Which of the visit's line items to correct or void.
    case pickLineItem(LineItemPick)
    case confirmVoid(LineItem, name: String)
    case billingStatusPicker(Appointment, name: String, selection: Int)
    case claimNote(Appointment, name: String, text: TextField)
    case profilePicker(Appointment, name: String, selection: Int)
}

/// Picking one of a visit's line items, to correct or void it.
public struct LineItemPick: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable { case fix, void }
    public var purpose: Purpose
    public var items: [LineItem]
    public var appointment: String
    public var patientName: String
    public var selection = 0
}

/// What a pane shows that the mirror must be read for.
public enum Dataset: Hashable, Sendable, CaseIterable {
    case schedule, search, chart, billing
    /// The selected visit's line items (after the day's visits).
    case lineItems
    /// The queue's counts in the status bar.
    case queue
    /// The practice's payers, while the patient form is open.
    case payers
    /// Today's payments, while their list is open.
    case collections
    /// A day's totals per office and doctor, while they are open.
    case dayTotals
    /// The clinician's day, while it is open.
    case myDay
    /// Tomorrow's worklist, while it is open.
    case confirmList

    /// Whether the console shows this dataset with `pane` in front: a pane's own rows, or
    /// what every pane shows (the queue's counts, a list or form open over it).
    public func isShown(on pane: Pane) -> Bool {
        switch self {
        case .schedule: pane == .schedule
        case .search: pane == .search
        case .chart: pane == .notes
        case .billing, .lineItems: pane == .billing
        case .queue, .payers, .collections, .dayTotals, .myDay, .confirmList: true
        }
    }
}

/// What the console asks its runtime to do; the model itself never reads or writes.
/// Each effect carries everything it needs — the runtime performs it without looking at
/// the model — and its result comes back as a ``Message`` through the one inbox.
public enum Effect: Sendable, Equatable {
    /// A pane's rows to read again. Never leaves ``ConsoleModel/update(_:)``: it becomes a
    /// ``read(_:)`` with the pane's parameters as they are once the message is handled,
    /// each dataset once however many parts of the model asked.
    case reload(Dataset)
    /// Read the mirror for a pane.
    case read(MirrorRead)
    /// Read what the mirror knows about this booking, for the model to check.
    case checkBooking(BookingDraft)
    /// Read what the mirror knows about this registration or change (a chart with the
    /// same name and birth date), for the model to check.
    case checkPatient(PatientDraft)
    /// List the inbox's files whose names start with what was typed.
    case completePath(String, in: PersonFolder?)
    /// Read the ICD-10-CM list now, in the background: billing is on screen, and the first
    /// diagnosis typed should not wait for it. (Only then: reading it adds 35 MB a console
    /// that never bills need not hold.)
    case prepareCodeList
    /// Look the charge form's diagnosis field up in the ICD-10-CM list.
    case lookUpDiagnoses(String)
    /// Read the file from the inbox, check it, and queue it for the chart.
    case attach(AttachDraft, from: PersonFolder?, by: WriteContext)
    /// Find free slots in the mirror, from `now` on.
    case findSlots(SlotFinder.Request, now: LocalDateTime)
    /// Read a patient's whole record, to open the change form on it.
    case openPatientChange(Int)
    /// Ask the practice to do a write the model checked.
    case queue(ConsoleWrite, by: WriteContext)
    /// Tell the sync side a write was queued, so it is sent without waiting.
    case pushQueue
    /// Record who opened what, or locked and unlocked, in the audit trail.
    case audit([AuditTrail.Event])
    /// Fetch a chart's document (through the budget) and read it.
    case openDocument(Document)
    /// Copy a fetched document into the documents folder under the name typed.
    case saveDocument(from: String, to: String, in: PersonFolder?)
    /// Ask DrChrono for this patient's chart now, ahead of the background sync.
    case fetchChart(patient: Int)
    case quit
    case redraw
    case useTheme(String)
    case syncNow
    /// Check this passphrase and unlock the screen if it is the profile's.
    case unlock(String)
}

/// Who a write is for and when: what the practice's ``Desk`` needs, carried by the
/// effect so the runtime asks nothing of the model.
public struct WriteContext: Sendable, Equatable {
    public var actor: ActingPerson
    public var now: LocalDateTime
    /// Who took a payment, for the day's collections until DrChrono's row names its
    /// user: the person at the console, else the profile's DrChrono user.
    public var takenBy: String?

    public init(actor: ActingPerson, now: LocalDateTime, takenBy: String? = nil) {
        (self.actor, self.now, self.takenBy) = (actor, now, takenBy)
    }
}

/// A write the person asked for, before it is checked and queued.
public enum ConsoleWrite: Sendable, Equatable {
    case book(BookingDraft)
    case setStatus(appointment: String, status: VisitStatus, who: String)
    case move(appointment: String, to: BookingSlot, who: String)
    case charge(ChargeForm)
    case registerPatient(PatientDraft)
    case changePatient(PatientDraft)
    /// A payment, and at check-in the check-in with it.
    case payment(PaymentForm)
    /// A charge corrected (only the fields that changed) or voided.
    case fixCharge(lineItem: Int, changes: ChargeChange, summary: String)
    case voidCharge(lineItem: Int, summary: String)
    case billingStatus(appointment: String, status: BillingStatus, who: String)
    case claimNote(appointment: String, text: String, who: String)
    /// A billing profile's charges, each priced from the fee schedule.
    case applyProfile(appointment: String, profile: String, charges: [ProfileCharge], who: String)
    /// A file attached to a chart (read and checked by the session).
    case attach(AttachDraft)
    /// A line added to a visit's notes: the desk left the patient a message.
    case leaveMessage(appointment: String, notes: String, who: String)
}

/// The status bar's facts: who, how fresh, what is waiting.
public struct StatusInfo: Sendable, Equatable {
    public enum Sync: Sendable, Equatable {
        case idle
        case working(String)
        /// Another chronoterm (a `sync --daemon`) keeps this mirror fresh.
        case elsewhere
        case offline(String)
        /// The local copy cannot be written (a full disk): DrChrono may still be reached
        /// and writes confirmed, but nothing new is saved here.
        case cannotSave(String)
        /// DrChrono is there, but the practice's hour of requests is spent until this
        /// time ("3:00 pm"): the copy stays as it is, writes wait.
        case hourSpent(until: String)
    }

    public var profile = ""
    public var user = ""
    public var lastSync: Date?
    /// When today's schedule was last read whole from DrChrono: its age is what the
    /// status bar shows.
    public var scheduleAsOf: Date?
    public var sync = Sync.idle
    public var queued = 0
    public var needsAttention = 0
    public var budgetLeft: Int?
    public var budgetHourly: Int?

    public init() {}

    /// What the sync side last said, to tell whether it has news.
    public var news: SyncNews {
        SyncNews(
            user: user, sync: sync, lastSync: lastSync, budgetLeft: budgetLeft, budgetHourly: budgetHourly, scheduleAsOf: scheduleAsOf)
    }
}

/// A short message at the foot of the screen that clears itself.
public struct ConsoleMessage: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public var expires: Date
}

/// One charge a billing profile adds: its code and type, its diagnoses, the fee schedule's price.
public struct ProfileCharge: Sendable, Equatable {
    public var code: String, type: String
    public var diagnoses: [String]
    public var priceCents: Int
}
