import DrChronoAPI
import Foundation
import GRDB

/// What the audit trail had reached, kept in the profile beside the mirror
/// (`audit.checkpoint`), so that emptying or replacing `mirror.sqlite` — which holds the
/// trail — cannot pass for an intact trail.
///
/// The chain inside the mirror finds an edited or deleted entry; it cannot find a
/// trail that is gone altogether. The checkpoint names the mirror file (its identity,
/// made when it was created) and the last entry seen with its hash: a later check finds
/// a different mirror, fewer entries, or that entry changed. It is written when a trail
/// verifies intact, at each login and logout, and when a console closes.
public struct AuditCheckpoint: Codable, Sendable, Equatable {
    /// The identity of the mirror file the trail lives in.
    public var mirror: String
    public var seq: Int64
    public var hash: String
    /// When the checkpoint was written (UTC, ISO 8601).
    public var at: String
    /// An HMAC of the above with the profile's ``AuditSeal``: a checkpoint written by
    /// hand (or by anyone who cannot open the vault) does not verify.
    public var seal: String?

    static let fileName = "audit.checkpoint"

    /// The checkpoint of `directory`'s profile, if one was written.
    public static func load(from directory: ProfileDirectory) -> AuditCheckpoint? {
        directory.read(fileName).flatMap { try? JSONDecoder().decode(AuditCheckpoint.self, from: $0) }
    }

    /// The mirror's identity, if it has one (every mirror since schema v8).
    static func identity(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT name FROM mirror_identity WHERE id = 1")
    }

    /// Records where the trail in `db` stands now. Call only after it verified intact:
    /// the checkpoint vouches for what it names.
    public static func record(_ db: Database, in directory: ProfileDirectory, seal: AuditSeal?, at date: Date = Date()) throws {
        guard let mirror = try identity(db) else { return }
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        var checkpoint = AuditCheckpoint(
            mirror: mirror, seq: last?["seq"] ?? 0, hash: last?["hash"] ?? AuditTrail.genesis,
            at: ISO8601DateFormatter().string(from: date))
        checkpoint.seal = seal?.sign(checkpoint)
        try directory.writeDurably(try JSONEncoder().encode(checkpoint), to: fileName)
    }

    /// What the trail in `db` has lost since the checkpoint of `directory`, in words.
    /// A profile that has been logged in always has its login entry: an empty trail
    /// there, checkpoint or not, was emptied.
    /// `seal`: the profile's, to check the checkpoint was written by chronoterm (nil:
    /// the key could not be had; the rest is checked).
    public static func breaks(_ db: Database, in directory: ProfileDirectory, loggedIn: Bool, seal: AuditSeal?) throws -> [AuditTrail.Break]
    {
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0
        guard let checkpoint = load(from: directory) else {
            if count == 0 && loggedIn {
                return [
                    AuditTrail.Break(
                        seq: 1,
                        problem: "the trail is empty, yet this profile has logged in, which is always recorded: "
                            + "the local copy (mirror.sqlite) was emptied or replaced")
                ]
            }
            // A logged-in profile's trail begins with its login: one that begins with
            // anything else, with no checkpoint beside it, started over.
            if loggedIn, let first = try String.fetchOne(db, sql: "SELECT event FROM audit ORDER BY seq LIMIT 1"), first != "login" {
                return [
                    AuditTrail.Break(
                        seq: 1,
                        problem: "the trail starts over (its first entry is \"\(first)\", not this profile's login) and its checkpoint "
                            + "(audit.checkpoint) is gone: an earlier trail and its checkpoint were removed together")
                ]
            }
            return []
        }
        if let seal, !seal.verifies(checkpoint) {
            return [
                AuditTrail.Break(
                    seq: checkpoint.seq,
                    problem: "the checkpoint (audit.checkpoint) is not sealed with this profile's key: it was written or changed "
                        + "by something other than chronoterm (after upgrading from a chronoterm that did not seal it: "
                        + "chronoterm audit --reseal)")
            ]
        }
        if try identity(db) != checkpoint.mirror {
            return [
                AuditTrail.Break(
                    seq: 1,
                    problem: "the local copy (mirror.sqlite) was replaced since the trail was last checked on \(checkpoint.at), "
                        + "when it had \(checkpoint.seq) \(checkpoint.seq == 1 ? "entry" : "entries"): \(checkpoint.seq == 0 ? "" : "entries 1 to \(checkpoint.seq) are gone")"
                        .trimmingCharacters(in: CharacterSet(charactersIn: ": ")))
            ]
        }
        guard checkpoint.seq > 0 else { return [] }
        guard let hash = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE seq = ?", arguments: [checkpoint.seq]) else {
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit") ?? 0
            let missing = checkpoint.seq - last
            return [
                AuditTrail.Break(
                    seq: last + 1,
                    problem: missing > 0
                        ? "missing — \(missing) \(missing == 1 ? "entry is" : "entries are") gone from the end: the trail had reached "
                            + "entry \(checkpoint.seq) on \(checkpoint.at), and now ends at \(last)"
                        : "missing — the trail had reached entry \(checkpoint.seq) when it was checked on \(checkpoint.at)")
            ]
        }
        if hash != checkpoint.hash {
            return [
                AuditTrail.Break(
                    seq: checkpoint.seq, problem: "is not the entry that stood here when the trail was checked on \(checkpoint.at)")
            ]
        }
        return []
    }

    /// Verifies the whole trail in `db` — its chain and the checkpoint — and, when it is
    /// intact, moves the checkpoint to where the trail stands now. Answers what is wrong.
    @discardableResult
    /// Only a process that has the seal moves the checkpoint (one without it could only
    /// write a checkpoint that fails). `newLogin`: a login just proved the key; the old
    /// checkpoint's seal (perhaps of the login before) is not held against the trail.
    public static func verifyAndAdvance(
        _ db: Database, in directory: ProfileDirectory, loggedIn: Bool, seal: AuditSeal?, newLogin: Bool = false
    ) throws -> [AuditTrail.Break] {
        let found = try AuditTrail.verify(db) + breaks(db, in: directory, loggedIn: loggedIn, seal: newLogin ? nil : seal)
        if found.isEmpty, let seal { try record(db, in: directory, seal: seal) }
        return found
    }
}
