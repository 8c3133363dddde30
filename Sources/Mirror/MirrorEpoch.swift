import GRDB

/// What a mirror is a copy of: which DrChrono, practice and user, through which API
/// version, in which schema. If any of it changes — another practice logged in to the
/// same profile, a new API version — the copy is wrong as a whole, and is rebuilt.
public struct MirrorEpoch: Sendable, Equatable {
    public var server: String
    public var practiceGroup: String
    public var userId: String
    public var apiVersion: String
    public var schemaVersion = MirrorSchema.schemaVersion

    public init(server: String, practiceGroup: String, userId: String, apiVersion: String) {
        (self.server, self.practiceGroup, self.userId, self.apiVersion) = (server, practiceGroup, userId, apiVersion)
    }

    /// Records `self` as the mirror's epoch. If the mirror held another epoch's data,
    /// empties it first (sync state included, so the next sync loads afresh) and
    /// answers true.
    @discardableResult
    public func adopt(in db: Database) throws -> Bool {
        let row = try Row.fetchOne(
            db, sql: "SELECT server, practice_group, user_id, api_version, schema_version FROM mirror_epoch WHERE id = 1")
        let current = row.map { row -> MirrorEpoch in
            var epoch = MirrorEpoch(
                server: row["server"], practiceGroup: row["practice_group"], userId: row["user_id"], apiVersion: row["api_version"])
            epoch.schemaVersion = row["schema_version"]
            return epoch
        }
        if current == self { return false }
        let hadData = try MirrorSchema.practiceTables.contains { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? 0 > 0 }
        if current != nil || hadData {
            // One `mirror.rebuilt` event says the tables were emptied, not a delete per row.
            try ChangeOrigin.set(.rebuild, in: db)
            for table in MirrorSchema.practiceTables { try db.execute(sql: "DELETE FROM \(table)") }
            try EventLog.recordRebuild(in: db)
            try ChangeOrigin.set(.unknown, in: db)
        }
        try db.execute(
            sql: "INSERT OR REPLACE INTO mirror_epoch VALUES (1, ?, ?, ?, ?, ?)",
            arguments: [server, practiceGroup, userId, apiVersion, schemaVersion])
        return current != nil && hadData
    }
}
