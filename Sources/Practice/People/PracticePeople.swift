import Crypto
import DrChronoAPI
import Foundation
import _CryptoExtras

/// The people of a practice profile: who may open its console, in which role, seeing
/// which doctors first, with which SSH keys and which lock passphrase. Kept in the
/// profile's `people.json` (0600), beside the one mirror, budget and write queue they
/// share; `chronoterm people` edits it.
public struct PracticePeople: Sendable, Equatable, Codable {
    public struct Person: Sendable, Equatable, Codable {
        public var name: String
        /// `front-desk`, `billing` or `clinician`: the writes allowed, the pane it opens on.
        public var role: String
        /// The doctors whose day the person sees first (a clinician's own).
        public var doctors: [Int]
        public var keys: [SSHKey]
        /// The person's own lock passphrase; nil until `chronoterm people passphrase`.
        public var passphrase: LockPassphrase?
        /// Their own colours (a theme's name), set with `people add --theme` or chosen in
        /// the console with `:theme`; nil: the profile's.
        public var theme: String?
        /// Their own key bindings (a keys.toml's text, checked when it was given); nil:
        /// the profile's.
        public var keyBindings: String?
        /// The DrChrono user whose login `chronoterm people link` keeps for them: their
        /// writes go with it, so DrChrono's own records name them. Nil: unlinked, their
        /// writes go with the practice's login.
        public var linkedUser: String?
        /// The profile's DrChrono login (a grant, `chronoterm login --grant`) whose side of
        /// the practice they see and write for; nil: the whole practice.
        public var grant: String?

        public init(name: String, role: String, doctors: [Int] = [], keys: [SSHKey] = [], passphrase: LockPassphrase? = nil) {
            (self.name, self.role, self.doctors, self.keys, self.passphrase) = (name, role, doctors, keys, passphrase)
        }
    }

    public private(set) var people: [Person] = []

    public static let fileName = "people.json"

    public init(people: [Person] = []) { self.people = people }

    public subscript(name: String) -> Person? { people.first { $0.name == name } }

    /// The person `name`, if they are one of the practice's and — when they came with a
    /// key (`fingerprint`, as a forced command passes it) — that key is still theirs: the
    /// one rule for who may open a console or an agent session, and keep it.
    public func admitted(_ name: String, key fingerprint: String?) -> Person? {
        guard let person = self[name] else { return nil }
        if let fingerprint, !person.keys.contains(where: { $0.fingerprint == fingerprint }) { return nil }
        return person
    }

    /// Adds or replaces `person` (by name).
    public mutating func put(_ person: Person) {
        if let index = people.firstIndex(where: { $0.name == person.name }) { people[index] = person } else { people.append(person) }
    }

    @discardableResult
    public mutating func remove(_ name: String) -> Person? {
        guard let index = people.firstIndex(where: { $0.name == name }) else { return nil }
        return people.remove(at: index)
    }

    /// A name safe everywhere it goes — a forced command, a log line, a file: a lower-case
    /// letter, then up to 31 lower-case letters, digits, dots, dashes or underscores.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.unicodeScalars.count <= 32 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    /// The registry of `directory`; empty when it has none yet.
    public static func load(from directory: ProfileDirectory) throws -> PracticePeople {
        let path = directory.file(fileName).path
        guard let data = FileManager.default.contents(atPath: path) else { return PracticePeople() }
        do {
            return try JSONDecoder().decode(PracticePeople.self, from: data)
        } catch {
            throw ProfileError.unusable(path, "is not a people registry chronoterm can read (\(error)); restore it from a backup")
        }
    }

    public func save(to directory: ProfileDirectory) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = directory.file(PracticePeople.fileName).path
        guard PrivateFile.replace(path, with: try encoder.encode(self), durable: true) else {
            throw ProfileError.unusable(path, "could not be written: \(String(cString: strerror(errno)))")
        }
    }
}

/// An OpenSSH public key, as one line of a `.pub` file reads it.
public struct SSHKey: Sendable, Equatable, Codable {
    public var type: String
    /// The key itself, base64 as in the file.
    public var blob: String
    public var comment: String
    /// `SHA256:…`, as `ssh-keygen -lf` prints it.
    public var fingerprint: String
    /// A key for the person's AI agent (`people add --mcp-key`): it opens `chronoterm mcp`
    /// for them, with no terminal and no forwarding, rather than their console.
    public var forAgent: Bool?

    static let types: Set<String> = [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]

    /// Reads `type base64 [comment]`; nil for anything else (options, a private key, junk).
    public init?(line: String) {
        let parts = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count >= 2, SSHKey.types.contains(parts[0]), let bytes = Data(base64Encoded: parts[1]), bytes.count >= 4 else {
            return nil
        }
        // The blob starts with its own type, length-prefixed: a key pasted whole, not a fragment.
        let length = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard length == parts[0].utf8.count, bytes.count >= 4 + length,
            String(decoding: bytes.dropFirst(4).prefix(length), as: UTF8.self) == parts[0]
        else { return nil }
        type = parts[0]
        blob = parts[1]
        comment = parts.count > 2 ? parts[2].filter { !$0.isNewline && $0 != "\"" } : ""
        fingerprint = "SHA256:" + Data(SHA256.hash(data: bytes)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }
}

/// A person's lock passphrase, kept only as a slow hash (scrypt, as the token vault's).
public struct LockPassphrase: Sendable, Equatable, Codable {
    public var salt: String
    public var hash: String

    public init(_ passphrase: String) throws {
        let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        self.salt = salt.base64EncodedString()
        hash = try LockPassphrase.stretch(passphrase, salt: salt).base64EncodedString()
    }

    public func matches(_ typed: String) -> Bool {
        guard let salt = Data(base64Encoded: salt), let stored = Data(base64Encoded: hash),
            let derived = try? LockPassphrase.stretch(typed, salt: salt)
        else { return false }
        return ConstantTime.equals(derived.base64EncodedString(), stored.base64EncodedString())
    }

    static func stretch(_ passphrase: String, salt: Data) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(
            from: Data(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: 1 << 14, blockSize: 8, parallelism: 1)
        return key.withUnsafeBytes { Data($0) }
    }
}

/// The service account's `authorized_keys`, with one block chronoterm keeps: a line per
/// person's key whose forced command opens that person's console and nothing else, as
/// git hosts do. Lines outside the block are the account's own and are kept as they are.
public enum AuthorizedKeys {
    public static let begin = "# chronoterm people: managed by `chronoterm people`; change it with that, not by hand"
    public static let end = "# end of chronoterm people"

    /// The block's lines: `command="… console --person NAME --key FP",restrict,pty KEY`; an
    /// agent's key: `command="… mcp --person NAME --key FP",restrict KEY` (no terminal).
    public static func lines(for people: PracticePeople, executable: String, profile: String) -> [String] {
        let program = executable.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return people.people.flatMap { person in
            person.keys.map { key in
                if key.forAgent == true {
                    let command = "\(program) mcp --profile \(profile) --person \(person.name) --key \(key.fingerprint)"
                    return "command=\"\(command)\",restrict \(key.type) \(key.blob) \(person.name)-agent"
                }
                let command = "\(program) console --profile \(profile) --person \(person.name) --key \(key.fingerprint)"
                return "command=\"\(command)\",restrict,pty \(key.type) \(key.blob) \(person.name)"
            }
        }
    }

    /// Rewrites the block in `file`, creating it (and its folder, 0700) if need be.
    public static func update(_ file: URL, lines: [String]) throws {
        let folder = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let existing = (FileManager.default.contents(atPath: file.path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        var kept: [String] = []
        var inside = false
        for line in existing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == begin { inside = true; continue }
            if line == end { inside = false; continue }
            if !inside { kept.append(line) }
        }
        while kept.last?.isEmpty == true { kept.removeLast() }
        var text = kept.joined(separator: "\n")
        if !text.isEmpty { text += "\n" }
        if !lines.isEmpty { text += ([begin] + lines + [end]).joined(separator: "\n") + "\n" }
        guard PrivateFile.replace(file.path, with: Data(text.utf8), durable: true) else {
            throw ProfileError.unusable(file.path, "could not be written: \(String(cString: strerror(errno)))")
        }
    }
}

extension PracticePeople {
    /// A person chose a theme at their console: it is theirs from now on. A registry
    /// that cannot be read or written now keeps what it had (the theme is still used).
    public static func remember(theme: String, for name: String, in directory: ProfileDirectory) {
        guard var people = try? PracticePeople.load(from: directory), var person = people[name] else { return }
        person.theme = theme
        people.put(person)
        try? people.save(to: directory)
    }
}
