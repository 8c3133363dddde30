import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a profile keeps its files: `$XDG_CONFIG_HOME/chronoterm/profiles/NAME`
/// (by default `~/.config/chronoterm/profiles/NAME`).
///
/// Everything a profile writes holds PHI or secrets, so its directories are 0700 and
/// its files 0600, and a directory found wider than that is refused rather than used.
public struct ProfileDirectory: Sendable, Equatable {
    public let name: String
    public let url: URL

    public init(name: String, root: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.name = name
        let base = root ?? ProfileDirectory.configHome(environment)
        url = base.appendingPathComponent("chronoterm/profiles/\(name)", isDirectory: true)
    }

    private init(name: String, url: URL) {
        self.name = name
        self.url = url
    }

    /// A person's own corner of a practice profile (`people/NAME`): the DrChrono login
    /// `chronoterm people link` made for them, sealed like the profile's own.
    public func person(_ person: String) -> ProfileDirectory {
        ProfileDirectory(name: "\(name)/\(person)", url: url.appendingPathComponent("people/\(person)", isDirectory: true))
    }

    /// One of the practice's further DrChrono logins (`grants/NAME`): a doctor's office
    /// that sees only its own side, added with `chronoterm login --grant NAME`.
    public func grant(_ grant: String) -> ProfileDirectory {
        ProfileDirectory(name: "\(name) grant \(grant)", url: url.appendingPathComponent("grants/\(grant)", isDirectory: true))
    }

    /// Where profiles live: `$XDG_CONFIG_HOME`, else `$HOME/.config`.
    public static func configHome(_ environment: [String: String]) -> URL {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return URL(fileURLWithPath: xdg, isDirectory: true) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".config", isDirectory: true)
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    public var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Creates the directory (0700) if needed; refuses one that others can read.
    public func prepare() throws(ProfileError) {
        let path = url.path
        if !FileManager.default.fileExists(atPath: path) {
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .unusable(path, "could not be created: \(error.localizedDescription)")
            }
        }
        try checkPermissions()
    }

    /// Refuses a profile whose directory or files are readable by others.
    public func checkPermissions() throws(ProfileError) {
        let mode = ProfileDirectory.mode(of: url.path)
        guard let mode else { throw .missing(name) }
        if mode & 0o077 != 0 {
            throw .tooOpen(url.path, String(mode & 0o777, radix: 8), "chmod 700 \(url.path)")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        for file in names {
            let path = url.appendingPathComponent(file).path
            if let fileMode = ProfileDirectory.mode(of: path), fileMode & 0o077 != 0 {
                // A folder needs its x bit to be used: 700, not 600.
                let isFolder = fileMode & UInt32(S_IFMT) == UInt32(S_IFDIR)
                throw .tooOpen(path, String(fileMode & 0o777, radix: 8), "chmod \(isFolder ? "700" : "600") \(path)")
            }
        }
    }

    static func mode(of path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode)
    }

    /// Writes `data` to `name` atomically and durably: a 0600 temporary file, fsync,
    /// rename over the old one, fsync of the directory. A crash leaves the old file or
    /// the new one, never half of either.
    public func writeDurably(_ data: Data, to name: String) throws(ProfileError) {
        let target = file(name).path
        guard PrivateFile.replace(target, with: data, durable: true) else {
            throw .unusable(target, "could not be written: \(String(cString: strerror(errno)))")
        }
    }

    public func read(_ name: String) -> Data? { FileManager.default.contents(atPath: file(name).path) }

    public func remove(_ name: String) { unlink(file(name).path) }
}

public enum ProfileError: Error, Equatable, CustomStringConvertible {
    case missing(String)
    case tooOpen(String, String, String)
    case unusable(String, String)

    public var description: String {
        switch self {
        case .missing(let name): "There is no profile '\(name)'. Run `chronoterm login` to create it."
        case .tooOpen(let path, let mode, let fix):
            "\(path) can be read by other users (mode \(mode)); chronoterm keeps patient data there and will not use it until it is private. Run: \(fix)"
        case .unusable(let path, let why): "\(path) \(why)"
        }
    }
}
