import Crypto
import Foundation
import _CryptoExtras

/// A profile's tokens, sealed with AES-GCM on disk.
///
/// The key comes from the person's passphrase through scrypt (slow on purpose, so a
/// stolen vault cannot be guessed quickly), or, for headless sync, from a key file
/// named by `CHRONOTERM_KEY_FILE` (32 random bytes, raw, hex or base64).
public struct TokenVault: Sendable {
    public enum KeySource: Sendable {
        case passphrase(String)
        case keyFile(URL)
    }

    /// scrypt's cost: N = 2^logN. 2^15 with r = 8 takes about 32 MiB and a tenth of a second.
    public struct ScryptCost: Codable, Sendable, Equatable {
        public var logN: Int, r: Int, p: Int
        public static let standard = ScryptCost(logN: 15, r: 8, p: 1)
        public init(logN: Int, r: Int, p: Int) { (self.logN, self.r, self.p) = (logN, r, p) }
    }

    static let fileName = "tokens.vault"

    public let directory: ProfileDirectory
    public let keySource: KeySource
    public var cost: ScryptCost = .standard

    public init(directory: ProfileDirectory, keySource: KeySource) {
        self.directory = directory
        self.keySource = keySource
    }

    /// The key source the environment names, if any: `CHRONOTERM_KEY_FILE`.
    public static func keyFileFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> KeySource? {
        environment["CHRONOTERM_KEY_FILE"].map { .keyFile(URL(fileURLWithPath: $0)) }
    }

    struct Envelope: Codable {
        var version = 1
        var kdf: String  // "scrypt" or "key-file"
        var salt: String?
        var cost: ScryptCost?
        var sealed: String
    }

    public var exists: Bool { directory.read(TokenVault.fileName) != nil }

    public func save(_ tokens: TokenSet) throws(VaultError) {
        let data = try sealed(tokens)
        do {
            try directory.prepare()
            try directory.writeDurably(data, to: TokenVault.fileName)
        } catch {
            throw .profile(error)
        }
    }

    /// Room on the disk for the next vault, claimed before a refresh spends the refresh
    /// token: DrChrono rotates it, so the new tokens must be sure to reach the disk.
    public struct Reservation: Sendable {
        let path: String
        let size: Int
    }

    static let reservationName = "tokens.vault.next"

    /// Claims room for a vault (twice today's size, and at least 8 KiB). Throws
    /// ``VaultError/diskFull(_:)`` when the disk has no room: the refresh must not start.
    public func reserveRoom() throws(VaultError) -> Reservation {
        let size = max(8192, (directory.read(TokenVault.fileName)?.count ?? 0) * 2)
        let path = directory.file(TokenVault.reservationName).path
        let failure = PrivateFile.reserve(path, size: size)
        if failure == ENOSPC || failure == EDQUOT { throw .diskFull(directory.url.path) }
        if failure != 0 { throw .profile(.unusable(path, "could not be written: \(String(cString: strerror(failure)))")) }
        return Reservation(path: path, size: size)
    }

    /// Saves `tokens` into the room `reservation` claimed, replacing the vault.
    public func save(_ tokens: TokenSet, into reservation: Reservation) throws(VaultError) {
        let data = try sealed(tokens)
        guard data.count <= reservation.size else {
            release(reservation)
            return try save(tokens)
        }
        guard PrivateFile.fill(reservation.path, with: data, replacing: directory.file(TokenVault.fileName).path) else {
            throw errno == ENOSPC || errno == EDQUOT
                ? .diskFull(directory.url.path)
                : .profile(.unusable(reservation.path, "could not be written: \(String(cString: strerror(errno)))"))
        }
    }

    /// Gives back room claimed for a refresh that did not happen.
    public func release(_ reservation: Reservation) { unlink(reservation.path) }

    /// The vault's bytes for `tokens`: sealed with a fresh salt.
    private func sealed(_ tokens: TokenSet) throws(VaultError) -> Data {
        let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        let key = try key(salt: salt, cost: cost)
        let plaintext: Data
        do { plaintext = try JSONEncoder().encode(tokens) } catch { throw .corrupt("could not encode the tokens") }
        guard let sealed = try? AES.GCM.seal(plaintext, using: key).combined else { throw .corrupt("could not seal the tokens") }
        let envelope: Envelope
        switch keySource {
        case .passphrase:
            envelope = Envelope(kdf: "scrypt", salt: salt.base64EncodedString(), cost: cost, sealed: sealed.base64EncodedString())
        case .keyFile: envelope = Envelope(kdf: "key-file", salt: nil, cost: nil, sealed: sealed.base64EncodedString())
        }
        guard let data = try? JSONEncoder().encode(envelope) else { throw .corrupt("could not encode the vault") }
        return data
    }

    public func load() throws(VaultError) -> TokenSet {
        guard let data = directory.read(TokenVault.fileName) else { throw .notLoggedIn(directory.name) }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: data), let sealed = Data(base64Encoded: envelope.sealed) else {
            throw .corrupt("the token vault is damaged; run `chronoterm login` again")
        }
        let salt = envelope.salt.flatMap { Data(base64Encoded: $0) } ?? Data()
        let key = try key(salt: salt, cost: envelope.cost ?? cost, expecting: envelope.kdf)
        guard let box = try? AES.GCM.SealedBox(combined: sealed), let plaintext = try? AES.GCM.open(box, using: key) else {
            throw .wrongKey
        }
        guard let tokens = try? JSONDecoder().decode(TokenSet.self, from: plaintext) else {
            throw .corrupt("the token vault is damaged; run `chronoterm login` again")
        }
        return tokens
    }

    public func erase() { directory.remove(TokenVault.fileName) }

    private func key(salt: Data, cost: ScryptCost, expecting kdf: String? = nil) throws(VaultError) -> SymmetricKey {
        switch keySource {
        case .passphrase(let passphrase):
            if let kdf, kdf != "scrypt" { throw .keySourceMismatch("this vault was sealed with a key file; set CHRONOTERM_KEY_FILE to it") }
            guard !passphrase.isEmpty else { throw .wrongKey }
            do {
                return try KDF.Scrypt.deriveKey(
                    from: Data(passphrase.utf8), salt: salt, outputByteCount: 32,
                    rounds: 1 << cost.logN, blockSize: cost.r, parallelism: cost.p)
            } catch {
                throw .corrupt("the passphrase could not be stretched: \(error)")
            }
        case .keyFile(let url):
            if let kdf, kdf != "key-file" {
                throw .keySourceMismatch("this vault was sealed with a passphrase; unset CHRONOTERM_KEY_FILE and enter it")
            }
            // Whoever can read the key file can open the tokens: refused like the profile's own files.
            if let mode = ProfileDirectory.mode(of: url.path), mode & 0o077 != 0 {
                throw .keyFileTooOpen(url.path, String(mode & 0o777, radix: 8))
            }
            guard let raw = FileManager.default.contents(atPath: url.path) else { throw .keyFileUnreadable(url.path) }
            guard let bytes = TokenVault.keyBytes(raw) else { throw .keyFileUnreadable(url.path) }
            return SymmetricKey(data: bytes)
        }
    }

    /// 32 bytes raw, or as 64 hex digits, or as base64 (surrounding white space ignored).
    static func keyBytes(_ raw: Data) -> Data? {
        if raw.count == 32 { return raw }
        let text = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count == 64, text.allSatisfy(\.isHexDigit) {
            var bytes = Data()
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(index, offsetBy: 2)
                bytes.append(UInt8(text[index..<next], radix: 16)!)
                index = next
            }
            return bytes
        }
        if let decoded = Data(base64Encoded: text), decoded.count == 32 { return decoded }
        return nil
    }
}

public enum VaultError: Error, Equatable, CustomStringConvertible {
    case notLoggedIn(String)
    case wrongKey
    case keyFileUnreadable(String)
    case keyFileTooOpen(String, String)
    /// The disk holding the profile is full: a refreshed login could not be saved.
    case diskFull(String)
    case keySourceMismatch(String)
    case corrupt(String)
    case profile(ProfileError)

    public var description: String {
        switch self {
        case .notLoggedIn(let profile): "Profile '\(profile)' is not logged in. Run `chronoterm login`."
        case .wrongKey: "That passphrase (or key file) does not open this profile's tokens."
        case .keyFileUnreadable(let path):
            "The key file \(path) could not be read, or does not hold 32 bytes (raw, hex or base64). Make one with: head -c 32 /dev/urandom > \(path); chmod 600 \(path)"
        case .keyFileTooOpen(let path, let mode):
            "The key file \(path) can be read by other users (mode \(mode)), and it opens this profile's tokens; chronoterm will not use it until it is private. Run: chmod 600 \(path)"
        case .diskFull(let folder):
            "The disk holding \(folder) is full, so chronoterm cannot save a refreshed DrChrono login. The login is kept as it was "
                + "(nothing was spent); free some space on that disk (df -h \(folder)), then try again."
        case .keySourceMismatch(let hint): hint
        case .corrupt(let why): why
        case .profile(let error): error.description
        }
    }
}
