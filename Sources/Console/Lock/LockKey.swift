import DrChronoAPI
import Practice

/// What opens a locked console: the person's own lock passphrase; for a profile of one
/// person's own, the passphrase that opens the profile's vault; nothing, when a key file
/// seals the vault (then the lock can only quit).
public enum LockKey: Sendable {
    /// A practice's person: their passphrase (nil: none set — only quitting opens it).
    case person(LockPassphrase?)
    /// A profile sealed with a passphrase: the vault's.
    case vault(ProfileDirectory)
    /// A profile sealed by a key file: no passphrase to type.
    case keyFile

    /// Whether `typed` opens the lock. Trying the vault takes a key derivation (on the
    /// effects' queue, never the drawing thread).
    public func answer(_ typed: String) -> UnlockAnswer {
        switch self {
        case .person(let passphrase): passphrase.map { $0.matches(typed) ? .unlocked : .wrong } ?? .quit
        case .keyFile: .quit
        case .vault(let directory):
            (try? TokenVault(directory: directory, keySource: .passphrase(typed)).load()) != nil ? .unlocked : .wrong
        }
    }
}
