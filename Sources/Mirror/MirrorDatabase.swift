import DrChronoAPI
import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The local SQLite mirror of one profile's practice: what every screen reads.
///
/// Opened in WAL mode, so the console reads while the sync engine writes, and
/// migrated forward on open. Each schema change is a new, never-edited migration.
public struct MirrorDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String

    /// The file of `directory`'s profile that holds its mirror.
    public static func file(in directory: ProfileDirectory) -> String { directory.file("mirror.sqlite").path }

    /// Opens (creating if needed) the mirror of `directory`'s profile: the one way every
    /// command opens it.
    public static func open(
        in directory: ProfileDirectory, person: AuditTrail.Person? = nil, sight: MirrorSight? = nil
    ) throws -> MirrorDatabase {
        try open(at: file(in: directory), person: person, sight: sight)
    }

    /// Opens (creating if needed) the mirror at `path` and brings its schema up to date.
    /// `person`: the person of the practice this process works for (a console opened
    /// with `--person`); the trail's entries and queued writes made through it name them.
    /// `sight`: what that person reads (``MirrorSight``): every read through this mirror
    /// sees only those doctors' rows; nil: the whole practice.
    public static func open(at path: String, person: AuditTrail.Person? = nil, sight: MirrorSight? = nil) throws -> MirrorDatabase {
        // The mirror holds PHI: create it 0600 before SQLite does (SQLite gives its
        // -wal and -shm files the database file's mode).
        if !FileManager.default.fileExists(atPath: path) {
            let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 { close(fd) }
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        if person != nil || sight != nil {
            configuration.prepareDatabase { db in
                if let person {
                    try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS session_person (name TEXT NOT NULL, via TEXT)")
                    try db.execute(sql: "DELETE FROM temp.session_person")
                    try db.execute(sql: "INSERT INTO temp.session_person (name, via) VALUES (?, ?)", arguments: [person.name, person.via])
                }
                // Readers only: the writer (a job's checks, the sync) works on the tables.
                if let sight, db.configuration.readonly {
                    for view in sight.views { try db.execute(sql: view) }
                }
            }
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(pool)
            opened.withLock { $0 = path }
            return MirrorDatabase(pool: pool, path: path)
        } catch {
            throw MirrorProblem(error, path: path)
        }
    }

    /// The mirror this process opened last: the file a later SQLite error is about.
    private static let opened = Mutex<String?>(nil)

    /// `error` in words when it came from SQLite (the file it names is the mirror this
    /// process opened); nil for any other error.
    public static func problem(_ error: any Error) -> MirrorProblem? {
        if let problem = error as? MirrorProblem { return problem }
        guard error is DatabaseError else { return nil }
        return MirrorProblem(error, path: opened.withLock { $0 } ?? "the local copy (mirror.sqlite)")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 sync state") { db in
            // Where each pull left off: a bookmark from the server's updated_at (never
            // the local clock), per resource and scope (a doctor, a day range …).
            try db.create(table: "sync_state") { t in
                t.column("resource", .text).notNull()
                t.column("scope", .text).notNull()
                t.column("bookmark", .text)
                t.column("last_full_pass", .text)
                t.primaryKey(["resource", "scope"])
            }
        }
        MirrorSchema.register(in: &migrator)
        MirrorSchema.registerOutbox(in: &migrator)
        MirrorSchema.registerLineItemIntent(in: &migrator)
        MirrorSchema.registerDocumentIntent(in: &migrator)
        MirrorSchema.registerRenames(in: &migrator)
        MirrorSchema.registerAudit(in: &migrator)
        MirrorSchema.registerIdentity(in: &migrator)
        MirrorSchema.registerSeenThrough(in: &migrator)
        MirrorSchema.registerPeople(in: &migrator)
        MirrorSchema.registerPatientWrites(in: &migrator)
        MirrorSchema.registerFrontDesk(in: &migrator)
        MirrorSchema.registerLineItemDeletions(in: &migrator)
        MirrorSchema.registerFeeSchedules(in: &migrator)
        MirrorSchema.registerBillingProfiles(in: &migrator)
        MirrorSchema.registerLineItemsByPatient(in: &migrator)
        MirrorSchema.registerLabsAndVitals(in: &migrator)
        MirrorSchema.registerEnteredLabResults(in: &migrator)
        MirrorSchema.registerSendFence(in: &migrator)
        MirrorSchema.registerWiderFolding(in: &migrator)
        MirrorSchema.registerClaimNotes(in: &migrator)
        MirrorSchema.registerDayInTimeOrder(in: &migrator)
        EventLog.register(in: &migrator)
        WorkHours.register(in: &migrator)
        MirrorSchema.registerCopays(in: &migrator)
        return migrator
    }

    /// The journal mode SQLite reports: "wal" for a mirror.
    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
