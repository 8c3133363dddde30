import GRDB

/// Which of the mirror's tables changed, told as each transaction commits — so a
/// screen redraws when its data changes, without polling.
///
/// Sees commits made through this process's `MirrorDatabase` (the console running its
/// own sync, or its own writes). A sync daemon in another process is not seen this way.
/// `patient_search` (a WITHOUT ROWID table, which SQLite's update hook does not report)
/// never appears; it changes only with `patients`, which does.
public final class MirrorChanges: TransactionObserver, @unchecked Sendable {
    // Touched only on GRDB's writer queue, which calls observers one at a time.
    private var pending = Set<String>()
    private let continuation: AsyncStream<Set<String>>.Continuation

    /// The changed tables of each committed transaction, in commit order.
    public let commits: AsyncStream<Set<String>>

    /// Starts observing `mirror`; stops when the returned object is released.
    public static func observe(_ mirror: MirrorDatabase) -> MirrorChanges {
        let changes = MirrorChanges()
        mirror.pool.add(transactionObserver: changes, extent: .observerLifetime)
        return changes
    }

    private init() {
        (commits, continuation) = AsyncStream<Set<String>>.makeStream(bufferingPolicy: .bufferingNewest(100))
    }

    deinit { continuation.finish() }

    public func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        eventKind.tableName != "sync_state" && eventKind.tableName != "sync_lease"
    }

    public func databaseDidChange(with event: DatabaseEvent) { pending.insert(event.tableName) }

    public func databaseDidCommit(_ db: Database) {
        if !pending.isEmpty { continuation.yield(pending) }
        pending.removeAll()
    }

    public func databaseDidRollback(_ db: Database) { pending.removeAll() }
}
