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
        var scheduleAsOf: Date?
        /// The person at this console is no longer one of the practice's people.
        var personRemoved = false
        /// Documents fetched and read, for the console to show.
        var readings: [DocumentReading] = []
    }

    private let state = Mutex(Snapshot())

    func update(_ change: (inout Snapshot) -> Void) { state.withLock { change(&$0) } }

    var snapshot: Snapshot { state.withLock { $0 } }

    func post(_ reading: DocumentReading) { update { $0.readings.append(reading) } }

    /// The readings not yet shown, handed over once.
    func takeReadings() -> [DocumentReading] {
        state.withLock { snapshot in
            defer { snapshot.readings = [] }
            return snapshot.readings
        }
    }

    /// The news for the console's status bar.
    var news: SyncNews {
        let now = snapshot
        return SyncNews(
            user: now.user, sync: now.sync, lastSync: now.lastSync, budgetLeft: now.budgetLeft, budgetHourly: now.budgetHourly,
            scheduleAsOf: now.scheduleAsOf)
    }
}
