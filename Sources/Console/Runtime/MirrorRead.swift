import DrChronoAPI
import Mirror

/// A read of the mirror a pane asked for, with everything it needs: the runtime
/// performs it without looking at the model, so a read asked for and a read performed
/// are the same read, whatever the person did in between.
public enum MirrorRead: Sendable, Equatable {
    /// A day (or a doctor's week) of the schedule; `doctors`: only those columns' (nil: all).
    /// `practice`: the doctors, offices and visit types too — only when the mirror moved
    /// since they were read (a day change reads the day's visits alone).
    case schedule(from: LocalDateTime, to: LocalDateTime, weekDoctor: Int?, doctors: [Int]?, practice: Bool = true)
    /// Patients matching what was typed, each with their next visit after `after`.
    case search(String, after: LocalDateTime)
    /// A patient's chart (a local id reads as DrChrono's once confirmed).
    case chart(patient: Int)
    /// A day's visits, for billing.
    case billingDay(String)
    /// The selected visit's charges and what prices them (nil: no visit selected).
    case lineItems(Appointment?)
    /// The queue's counts for the status bar.
    case queue
    /// A day's visits to confirm (the front desk's worklist).
    case confirmList(day: String)
    /// A clinician's day.
    case myDay(day: LocalDateTime, doctors: [Int])
    /// A day's totals per office and doctor.
    case dayTotals(day: String)
    /// A day's payments.
    case collections(day: String)
    /// The practice's payers, for the insurance fields.
    case payers

    /// The dataset the read fills.
    public var dataset: Dataset {
        switch self {
        case .schedule: .schedule
        case .search: .search
        case .chart: .chart
        case .billingDay: .billing
        case .lineItems: .lineItems
        case .queue: .queue
        case .confirmList: .confirmList
        case .myDay: .myDay
        case .dayTotals: .dayTotals
        case .collections: .collections
        case .payers: .payers
        }
    }
}

extension ConsoleModel {
    /// What `dataset` must read for the console as it is now; nil when nothing on screen
    /// shows it (a list that is not open, a chart not chosen).
    public func read(for dataset: Dataset) -> MirrorRead? {
        switch dataset {
        case .schedule:
            let range = schedule.range
            return .schedule(
                from: range.from, to: range.to, weekDoctor: range.doctor, doctors: schedule.doctorsToRead,
                practice: schedule.practiceStale || schedule.data.doctors.isEmpty)
        case .search: return .search(search.query.text, after: now)
        case .chart: return chart.patientId.map { .chart(patient: $0) }
        case .billing: return .billingDay(billing.day.dateString)
        case .lineItems: return .lineItems(billing.selectedVisit)
        case .queue: return .queue
        case .confirmList:
            guard case .confirmList(let list) = overlay else { return nil }
            return .confirmList(day: list.day.dateString)
        case .myDay:
            guard case .myDay(let list) = overlay else { return nil }
            return .myDay(day: list.day, doctors: list.doctors)
        case .dayTotals:
            guard case .dayTotals(let list) = overlay else { return nil }
            return .dayTotals(day: list.day.dateString)
        case .collections:
            guard case .collections(let list) = overlay else { return nil }
            return .collections(day: list.day.dateString)
        case .payers:
            guard case .patient = overlay else { return nil }
            return .payers
        }
    }
}
