import GRDB

/// Where a pull of one resource and scope left off.
///
/// The bookmark is the largest `updated_at` the server sent in rows already stored,
/// so the next pass asks `since=bookmark` and misses nothing that changed meanwhile.
public struct SyncBookmark: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sync_state"

    public var resource: String
    public var scope: String
    public var bookmark: String?
    public var lastFullPass: String?

    public init(resource: String, scope: String, bookmark: String? = nil, lastFullPass: String? = nil) {
        (self.resource, self.scope, self.bookmark, self.lastFullPass) = (resource, scope, bookmark, lastFullPass)
    }

    enum CodingKeys: String, CodingKey {
        case resource, scope, bookmark
        case lastFullPass = "last_full_pass"
    }

    /// The bookmark of `resource` in `scope`, if a pull has stored one.
    public static func find(_ db: Database, resource: String, scope: String) throws -> SyncBookmark? {
        try SyncBookmark.fetchOne(db, key: ["resource": resource, "scope": scope])
    }
}
