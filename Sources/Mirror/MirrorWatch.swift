import GRDB

/// Notices that the mirror changed — committed by this process's sync or by another
/// chronoterm on the same profile — through SQLite's `data_version` on a connection of
/// its own. Asking costs one pragma: a screen asks each time it would draw.
public final class MirrorWatch {
    private let connection: DatabaseQueue
    private var lastVersion: Int?

    public init(_ mirror: MirrorDatabase) throws {
        connection = try DatabaseQueue(path: mirror.path)
        lastVersion = try? connection.read { try Int.fetchOne($0, sql: "PRAGMA data_version") }
    }

    /// Whether another connection committed since the last time this was asked.
    public func changed() -> Bool {
        guard let version = try? connection.read({ try Int.fetchOne($0, sql: "PRAGMA data_version") }), version != lastVersion else {
            return false
        }
        lastVersion = version
        return true
    }
}

extension MirrorDatabase {
    /// Runs `body` in one read transaction: for the console, whose thread reads the
    /// mirror through ``MirrorQueries`` and never writes SQL of its own.
    public func read<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }

    /// Runs `body` in one write transaction (queueing a write through ``Outbox``,
    /// recording an ``AuditTrail`` entry).
    public func write<T>(_ body: (Database) throws -> T) throws -> T { try pool.write(body) }
}
