import DrChronoAPI
import Foundation

/// One piece of news from the sync side, as it happens: each goes through the inbox
/// on its own, so nothing on the sync side keeps a copy of the status bar.
public enum SyncUpdate: Sendable, Equatable {
    /// Who the profile is logged in as at DrChrono.
    case user(String)
    /// What the sync is doing; `synced` marks a pass that finished (the copy's age).
    case state(StatusInfo.Sync, synced: Date? = nil)
    /// The practice's hour: requests left, and how many it has.
    case budget(left: Int?, hourly: Int?)
    /// When DrChrono's side of today's schedule was last read whole.
    case scheduleAsOf(Date?)
}

extension StatusInfo.Sync {
    /// Offline, in the status bar's few words for why.
    public static func offline(because error: APIError, zone: TimeZone) -> StatusInfo.Sync {
        switch error {
        // DrChrono is there: what is true is that the hour is spent, until the next.
        case .budgetExhausted(let resets): .hourSpent(until: LocalDateTime(resets, in: zone).clock)
        case .loginRequired: .offline("signed out: run chronoterm login")
        case .unavailable: .offline("DrChrono unreachable")
        default: .offline("sync failing")
        }
    }
}

extension ConsoleModel {
    /// The status bar takes one piece of news.
    mutating func apply(_ update: SyncUpdate) {
        switch update {
        case .user(let name): status.user = name
        case .state(let sync, let synced):
            status.sync = sync
            if let synced { status.lastSync = synced }
        case .budget(let left, let hourly):
            status.budgetLeft = left
            if let hourly { status.budgetHourly = hourly }
        case .scheduleAsOf(let asOf): status.scheduleAsOf = asOf
        }
    }
}
