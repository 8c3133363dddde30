import GRDB

/// Where a change of the mirror came from, as its event says. Every transaction that
/// changes the practice's tables names its origin (``MirrorDatabase/write(_:_:)``); a
/// change made without naming one is recorded as `unknown`, never as another's.
public enum ChangeOrigin: String, Sendable, CaseIterable {
    /// Read from DrChrono by a sync pass (or a chart opened, a lab read).
    case pass
    /// Sent by DrChrono's webhook.
    case webhook
    /// A write a person of the practice made here, shown before DrChrono confirms it.
    case queue
    /// DrChrono's answer to a queued write: the row as DrChrono now holds it.
    case confirmation
    /// Rows older than the mirror keeps (a month of payments, a year of lab orders) leaving
    /// it: they are not deleted at DrChrono, and a warehouse keeps them.
    case window
    /// The mirror emptied because it now copies another practice or API version.
    case rebuild
    case unknown

    /// Names this transaction's origin (and the person, for a queued write) for the
    /// triggers that record its changes.
    static func set(_ origin: ChangeOrigin, person: String? = nil, in db: Database) throws {
        try db.execute(sql: "UPDATE change_origin SET origin = ?, person = ? WHERE id = 1", arguments: [origin.rawValue, person])
    }
}

extension MirrorDatabase {
    /// Runs `body` in one write transaction whose changes of the practice's tables are
    /// recorded as coming from `origin`; the origin is reset before it commits, so a later
    /// transaction that names none is `unknown`.
    @discardableResult
    public func write<T>(_ origin: ChangeOrigin, person: String? = nil, _ body: (Database) throws -> T) throws -> T {
        try pool.write { db in try Self.stamped(origin, person: person, db, body) }
    }

    /// The same, from async code.
    @discardableResult
    public func write<T: Sendable>(_ origin: ChangeOrigin, person: String? = nil, _ body: @Sendable (Database) throws -> T)
        async throws -> T
    {
        try await pool.write { db in try Self.stamped(origin, person: person, db, body) }
    }

    static func stamped<T>(_ origin: ChangeOrigin, person: String?, _ db: Database, _ body: (Database) throws -> T) throws -> T {
        // A console opened for a person names them on its connection (temp.session_person).
        let person = person ?? (origin == .queue ? try? String.fetchOne(db, sql: "SELECT name FROM temp.session_person") : nil)
        try ChangeOrigin.set(origin, person: person, in: db)
        let result = try body(db)
        try ChangeOrigin.set(.unknown, in: db)
        return result
    }
}
