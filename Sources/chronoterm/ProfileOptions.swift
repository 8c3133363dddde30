import ArgumentParser
import DrChronoAPI
import Foundation
import Logging
import Mirror

/// `--profile`, shared by every command that talks to DrChrono.
struct ProfileOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The profile to use: one practice login each.", valueName: "name"))
    var profile: String = ProcessInfo.processInfo.environment["CHRONOTERM_PROFILE"] ?? "default"

    var directory: ProfileDirectory { ProfileDirectory(name: profile) }

    /// The profile's settings, and the key that opens its vault: the key file named by
    /// CHRONOTERM_KEY_FILE, or the passphrase asked for on the terminal.
    func open() throws -> Profile {
        Logs.configure()
        let settings = try ProfileSettings.load(from: directory)
        return Profile(directory: directory, settings: settings, keySource: try KeyPrompt.keySource(creating: false))
    }
}

extension Profile {
    /// The key the audit checkpoint is sealed with, when the vault opens.
    var auditSeal: AuditSeal? { (try? vault.load()).map { AuditSeal(secret: $0.clientSecret) } }
}

enum KeyPrompt {
    static func keySource(creating: Bool) throws -> TokenVault.KeySource {
        if let keyFile = TokenVault.keyFileFromEnvironment() { return keyFile }
        guard TTY.isInteractive else {
            throw ValidationError(
                "No terminal to ask for the profile's passphrase. For headless use, set CHRONOTERM_KEY_FILE to a file of 32 random bytes (head -c 32 /dev/urandom > key; chmod 600 key)."
            )
        }
        let passphrase = TTY.secret(creating ? "Choose a passphrase to protect this profile's tokens: " : "Passphrase: ")
        if creating {
            guard passphrase.count >= 8 else { throw ValidationError("Use a passphrase of at least 8 characters.") }
            guard TTY.secret("Type it again: ") == passphrase else {
                throw ValidationError("The two passphrases differ; nothing was saved.")
            }
        }
        return .passphrase(passphrase)
    }
}

/// Log lines go to standard error — standard output is for answers (`chronoterm api`
/// prints JSON there) — at the level CHRONOTERM_LOG names (default: warnings only).
/// They carry methods, paths without ids and statuses; never tokens or patient data.
enum Logs {
    static func configure() { _ = bootstrapped }

    private static let bootstrapped: Void = {
        let level = ProcessInfo.processInfo.environment["CHRONOTERM_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()
}
