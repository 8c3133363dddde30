import DrChronoAPI
import GRDB

/// Where a pull of one resource and scope left off: the sync engine's bookkeeping row
/// (`sync_state`), read and written inside the same transactions as the rows it
/// describes, so a crash keeps both or neither.
///
/// The bookmark is the largest `updated_at` the server sent in rows already stored,
/// so the next pass asks `since=bookmark` and misses nothing that changed meanwhile.
public struct SyncBookmark: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sync_state"

    public var resource: String
    /// `today`, `schedule`, `all`, or a part of a long bulk list.
    public var scope: String
    public var bookmark: String?
    /// When the last whole read of it ended.
    public var lastFullPass: String?
    /// Where a load stopped mid-list (the next page's URL), to go on from.
    public var resumeURL: String?
    /// Whether its initial load is done.
    public var loaded = false
    /// The server's time when the last complete incremental pass began.
    public var seenThrough: String?

    public init(resource: String, scope: String, bookmark: String? = nil, lastFullPass: String? = nil) {
        (self.resource, self.scope, self.bookmark, self.lastFullPass) = (resource, scope, bookmark, lastFullPass)
    }

    enum CodingKeys: String, CodingKey {
        case resource, scope, bookmark, loaded
        case lastFullPass = "last_full_pass"
        case resumeURL = "resume_url"
        case seenThrough = "seen_through"
    }

    /// The bookmark of `resource` in `scope`, if a pull has stored one.
    public static func find(_ db: Database, resource: String, scope: String) throws -> SyncBookmark? {
        try SyncBookmark.fetchOne(db, key: ["resource": resource, "scope": scope])
    }

    /// The row of `resource` in `scope`: as stored, or a fresh one (nothing read yet).
    public static func fetch(_ db: Database, _ resource: MirrorResource, _ scope: String) throws -> SyncBookmark {
        try find(db, resource: resource.rawValue, scope: scope) ?? SyncBookmark(resource: resource.rawValue, scope: scope)
    }

    /// Stores the row, replacing what was there.
    public func save(_ db: Database) throws { try upsert(db) }

    /// Moves the bookmark forward to `newest` (never back).
    public mutating func advance(to newest: LocalDateTime?) {
        guard let newest else { return }
        if let current = bookmark.flatMap(LocalDateTime.init), current >= newest { return }
        bookmark = newest.description
    }
}
