import DrChronoAPI
import GRDB

/// Which of a profile's DrChrono logins read what, kept beside their bookmarks: each
/// login's `sync_state` rows are its own (`NAME:all`; the profile's own login keeps the
/// plain scopes), and a `grant_plan` row per reader records the doctors it reads for, so
/// that when the plan changes — a login revoked, another added — the bookmarks are handed
/// over in the same transaction, never guessed at after a restart.
extension SyncBookmark {
    /// The `sync_state` resource of the plan's rows: scope the reader's name, bookmark
    /// its doctors ("1,4") or "*" for all.
    static let planResource = "grant_plan"

    /// The readers of the last plan and the doctors each read for (nil: all). A mirror
    /// synced before grants has its own login's rows alone: that login read everything.
    public static func readers(in db: Database) throws -> [String: Set<Int>?] {
        let rows = try SyncBookmark.filter(Column("resource") == planResource).fetchAll(db)
        if rows.isEmpty {
            let synced = try Bool.fetchOne(db, sql: "SELECT 1 FROM sync_state WHERE scope NOT LIKE '%:%' LIMIT 1") ?? false
            return synced ? ["": nil] : [:]
        }
        return Dictionary(
            uniqueKeysWithValues: rows.map { row in
                let doctors: Set<Int>? = row.bookmark == "*" ? nil : Set((row.bookmark ?? "").split(separator: ",").compactMap { Int($0) })
                return (row.scope, doctors)
            })
    }

    /// Records `readers` as the plan. A reader that now reads for doctors it did not takes
    /// over the bookmarks of the logins that stopped reading, where those read every such
    /// doctor (the older bookmark of each list, so nothing changed meanwhile is missed);
    /// where they did not, it starts afresh — an initial load through it, its rows stored
    /// by id over the ones held. The retired logins' rows go.
    public static func adopt(readers: [(name: String, doctors: Set<Int>?)], in db: Database) throws {
        let previous = try Self.readers(in: db)
        let names = Set(readers.map(\.name))
        let retired = previous.filter { !names.contains($0.key) }
        for reader in readers {
            let had = previous[reader.name]
            // What it reads now that it did not: nil means "more than any set says".
            let gained: Set<Int>?? =
                switch (had, reader.doctors) {
                case (.none, _): .some(reader.doctors)
                case (.some(.none), _): .some(.some([]))
                case (.some(.some), .none): .some(.none)
                case (.some(.some(let old)), .some(let new)): .some(.some(new.subtracting(old)))
                }
            guard let gained, gained != [] else { continue }
            let readByRetired = retired.values.compactMap { $0 }.reduce(into: Set<Int>()) { $0.formUnion($1) }
            let covering = retired.values.contains { $0 == nil } || (gained.map { $0.isSubset(of: readByRetired) } ?? false)
            if covering && !retired.isEmpty {
                for login in retired.keys { try merge(from: login, into: reader.name, in: db) }
            } else {
                try db.execute(sql: "DELETE FROM sync_state WHERE " + mine(reader.name), arguments: [pattern(reader.name)])
            }
        }
        for login in retired.keys {
            try db.execute(sql: "DELETE FROM sync_state WHERE " + mine(login), arguments: [pattern(login)])
        }
        try db.execute(sql: "DELETE FROM sync_state WHERE resource = ?", arguments: [planResource])
        for reader in readers {
            var row = SyncBookmark(resource: planResource, scope: reader.name)
            row.bookmark = reader.doctors.map { $0.sorted().map(String.init).joined(separator: ",") } ?? "*"
            try row.insert(db)
        }
    }

    /// The rows of `login`: its prefix, or for the profile's own login the plain scopes.
    private static func mine(_ login: String) -> String {
        login.isEmpty ? "scope NOT LIKE ? AND resource <> '\(planResource)'" : "scope LIKE ? AND resource <> '\(planResource)'"
    }

    private static func pattern(_ login: String) -> String { login.isEmpty ? "%:%" : "\(login):%" }

    /// Takes `from`'s finished bookmarks into `into`'s: a list `into` has not read is
    /// taken as it is; one both have read keeps the older bookmark and last complete pass.
    private static func merge(from: String, into: String, in db: Database) throws {
        let rows = try SyncBookmark.fetchAll(db, sql: "SELECT * FROM sync_state WHERE " + mine(from), arguments: [pattern(from)])
        for row in rows where row.loaded && row.resumeURL == nil {
            let base = from.isEmpty ? row.scope : String(row.scope.dropFirst(from.count + 1))
            let scope = into.isEmpty ? base : "\(into):\(base)"
            var taken = row
            taken.scope = scope
            if let held = try find(db, resource: row.resource, scope: scope) {
                taken.bookmark = older(held.bookmark, row.bookmark)
                taken.seenThrough = older(held.seenThrough, row.seenThrough)
                taken.lastFullPass = older(held.lastFullPass, row.lastFullPass)
                taken.loaded = held.loaded
                taken.resumeURL = held.resumeURL
            }
            try taken.save(db)
        }
    }

    /// The earlier of two stamps; nil (never read) is earliest.
    private static func older(_ a: String?, _ b: String?) -> String? {
        guard let a, let b, let x = LocalDateTime(a), let y = LocalDateTime(b) else { return nil }
        return x <= y ? a : b
    }
}
