import Crypto
import DrChronoAPI
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The key a profile seals its audit checkpoint with: derived from the API application's
/// secret, which lives only in the profile's sealed vault — so only a process that could
/// open the vault can write a checkpoint that verifies.
public struct AuditSeal: Sendable {
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(secret: String) {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data("chronoterm audit checkpoint v1".utf8), outputByteCount: 32)
        keyBytes = derived.withUnsafeBytes { Data($0) }
    }

    /// The seal of what a checkpoint says.
    func sign(_ checkpoint: AuditCheckpoint) -> String {
        let text = [checkpoint.mirror, String(checkpoint.seq), checkpoint.hash, checkpoint.at].joined(separator: "\n")
        return Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)).base64EncodedString()
    }

    func verifies(_ checkpoint: AuditCheckpoint) -> Bool {
        guard let seal = checkpoint.seal else { return false }
        return ConstantTime.equals(seal, sign(checkpoint))
    }
}

/// Moves the audit checkpoint on with the trail: after every commit that added entries
/// to it, the checkpoint names the newest (sealed), so deleting the newest entries —
/// even with the append-only trigger dropped and the numbering rewound — is found. It
/// never moves back, nor over a checkpoint it cannot vouch for (another mirror's, or
/// one whose seal fails: that is for `audit --verify` to report). Each new entry's
/// hash also goes to the system log, a witness the account cannot quietly rewrite.
final class AuditCheckpointKeeper: TransactionObserver, @unchecked Sendable {
    // Touched only on the writer connection's queue, where GRDB calls an observer.
    private let directory: ProfileDirectory
    private let seal: AuditSeal
    private var appended = false
    private var logged: Int64?

    init(directory: ProfileDirectory, seal: AuditSeal) {
        (self.directory, self.seal) = (directory, seal)
        openlog("chronoterm", LOG_PID, LOG_AUTHPRIV)
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "audit" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) { appended = true }

    func databaseDidCommit(_ db: Database) {
        guard appended else { return }
        appended = false
        guard let mirror = try? AuditCheckpoint.identity(db),
            let rows = try? Row.fetchAll(
                db, sql: "SELECT seq, hash FROM audit WHERE seq > ? ORDER BY seq", arguments: [logged ?? lastSeq(db)])
        else { return }
        for row in rows {
            // Numbers and hashes only: the trail names no patient, and neither does this.
            let line = "audit \(directory.name) \(mirror.prefix(8)) #\(row["seq"] as Int64) \(row["hash"] as String)"
            withVaList([line]) { vsyslog(LOG_INFO, "%s", $0) }
        }
        guard let last = rows.last else { return }
        logged = last["seq"]
        if let existing = AuditCheckpoint.load(from: directory) {
            // Not over a checkpoint of another mirror, a later one, or one it cannot vouch for
            // (unsealed or forged: `audit --verify` reports it; `--reseal` or a login seals anew).
            guard existing.mirror == mirror, existing.seq < last["seq"] as Int64, seal.verifies(existing) else { return }
        }
        try? AuditCheckpoint.record(db, in: directory, seal: seal)
    }

    func databaseDidRollback(_ db: Database) { appended = false }

    private func lastSeq(_ db: Database) -> Int64 {
        // On the first commit, the entries this commit added: those past the checkpoint's.
        AuditCheckpoint.load(from: directory).map(\.seq) ?? 0
    }
}

extension MirrorDatabase {
    /// Keeps the profile's audit checkpoint moving with the trail, sealed with `seal`,
    /// for as long as this mirror is open.
    public func keepAuditCheckpoint(in directory: ProfileDirectory, seal: AuditSeal) {
        pool.add(transactionObserver: AuditCheckpointKeeper(directory: directory, seal: seal), extent: .databaseLifetime)
    }
}
