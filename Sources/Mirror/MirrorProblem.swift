import Foundation
import GRDB

/// Why the local copy could not be read or written, in words for the person at the
/// desk: which file, what happened, what to do. SQLite's own message ("SQLite error 13
/// … while executing COMMIT TRANSACTION") never reaches them.
public struct MirrorProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The disk (or the quota) is full: nothing new can be saved.
        case diskFull
        /// The file is not a database, or its pages are damaged.
        case damaged
        /// The file or its folder cannot be written (permissions, a read-only disk).
        case notWritable
        /// Anything else SQLite reported, in its own short words.
        case other(String)
    }

    public let kind: Kind
    /// The mirror file the problem is about.
    public let path: String

    public init(_ kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    /// Classifies `error` (a GRDB `DatabaseError`, or a `MirrorProblem` already).
    public init(_ error: any Error, path: String) {
        if let problem = error as? MirrorProblem {
            self = problem
            return
        }
        self.path = path
        guard let error = error as? DatabaseError else {
            kind = .other("\(error)")
            return
        }
        switch error.resultCode {
        case .SQLITE_FULL: kind = .diskFull
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: kind = .damaged
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH: kind = .notWritable
        case .SQLITE_IOERR where errno == ENOSPC || errno == EDQUOT: kind = .diskFull
        default: kind = .other(error.message ?? "SQLite error \(error.resultCode.rawValue)")
        }
    }

    /// The profile the mirror belongs to, as `--profile NAME` when it is not the default.
    var profileOption: String {
        let name = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
        return name == "default" || name.isEmpty ? "" : " --profile \(name)"
    }

    public var description: String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        switch kind {
        case .diskFull:
            return "The disk holding \(path) is full, so chronoterm cannot save to the practice's local copy. "
                + "Nothing already saved is lost, and queued writes stay queued. Free some space (df -h \(folder) shows how much is left), then try again."
        case .damaged:
            return "The local copy \(path) is damaged (SQLite finds it malformed). Your queued writes and the audit trail are kept in it: "
                + "run `chronoterm sync --rebuild\(profileOption)` to move the damaged file aside, carry them over to a new copy and load the practice again."
        case .notWritable:
            return
                "chronoterm cannot write \(path): check that it and \(folder) belong to this account and that the disk is not mounted read-only."
        case .other(let what):
            return
                "The local copy \(path) could not be read or written (\(what)). If this goes on, run `chronoterm sync --rebuild\(profileOption)`."
        }
    }

    /// A few words for the console's status bar.
    public var banner: String {
        switch kind {
        case .diskFull: "the disk is full"
        case .damaged: "the local copy is damaged: chronoterm sync --rebuild"
        case .notWritable: "the local copy cannot be written"
        case .other: "the local copy could not be written"
        }
    }
}
