import Console
import Foundation
import Synchronization

/// What the sync side tells the console: the status bar's facts. Written by sync tasks,
/// read by the drawing thread each tick — the one piece of state the two share.
final class SyncBoard: Sendable {
    struct Snapshot: Sendable {
        var user = ""
        var sync = StatusInfo.Sync.working("starting sync…")
        var lastSync: Date?
        var budgetLeft: Int?
        var budgetHourly: Int?
    }

    private let state = Mutex(Snapshot())

    func update(_ change: (inout Snapshot) -> Void) { state.withLock { change(&$0) } }

    var snapshot: Snapshot { state.withLock { $0 } }

    /// Copies the news into the model's status bar.
    func post(into status: inout StatusInfo) {
        let now = snapshot
        status.user = now.user
        status.sync = now.sync
        status.lastSync = now.lastSync
        status.budgetLeft = now.budgetLeft
        status.budgetHourly = now.budgetHourly
    }
}
