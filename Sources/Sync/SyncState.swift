import DrChronoAPI
import Foundation
import GRDB
import Mirror

/// The sync engine's bookkeeping rows (`sync_state`), read and written inside the same
/// transactions as the rows they describe.
struct SyncStateRow: Equatable {
    var resource: String
    var scope: String
    var bookmark: String?
    var lastFullPass: String?
    var resumeURL: String?
    var loaded: Bool
    /// The server's time when the last complete incremental pass began.
    var seenThrough: String?

    static func fetch(_ db: Database, _ resource: MirrorResource, _ scope: String) throws -> SyncStateRow {
        let row = try Row.fetchOne(
            db,
            sql: "SELECT bookmark, last_full_pass, resume_url, loaded, seen_through FROM sync_state WHERE resource = ? AND scope = ?",
            arguments: [resource.rawValue, scope])
        return SyncStateRow(
            resource: resource.rawValue, scope: scope, bookmark: row?["bookmark"], lastFullPass: row?["last_full_pass"],
            resumeURL: row?["resume_url"], loaded: (row?["loaded"] as Int?) == 1, seenThrough: row?["seen_through"])
    }

    func save(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO sync_state (resource, scope, bookmark, last_full_pass, resume_url, loaded, seen_through)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(resource, scope) DO UPDATE SET bookmark = excluded.bookmark, last_full_pass = excluded.last_full_pass,
                    resume_url = excluded.resume_url, loaded = excluded.loaded, seen_through = excluded.seen_through
                """, arguments: [resource, scope, bookmark, lastFullPass, resumeURL, loaded, seenThrough])
    }

    /// Moves the bookmark forward to `newest` (never back).
    mutating func advance(to newest: LocalDateTime?) {
        guard let newest else { return }
        if let current = bookmark.flatMap(LocalDateTime.init), current >= newest { return }
        bookmark = newest.description
    }
}
