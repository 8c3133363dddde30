import DrChronoAPI
import Foundation
import GRDB
import Mirror

#if canImport(Glibc)
    import Glibc
#endif

/// How a snapshot's rows are written.
public enum SnapshotFormat: String, CaseIterable, Sendable {
    /// A header of column names, then a line a row (RFC 4180), formula-safe.
    case csv
    /// One JSON object a row, the columns its keys.
    case jsonl
}

/// Where a snapshot goes.
public enum SnapshotDestination: Sendable, Equatable {
    /// `TABLE.csv` / `TABLE.jsonl` in this folder, made 0600 under a temporary name and
    /// renamed into place only when whole: a crash leaves the last whole file, never half.
    case folder(String)
    case standardOutput
}

/// Writes an exported table's rows, read from one frozen moment of the mirror.
public enum SnapshotFile {
    /// Writes `table` (its rows dated on or after `since`, when it has a date) to
    /// `destination`; `progress` hears the rows written so far. Answers the rows written.
    @discardableResult
    public static func write(
        _ table: ExportTable, format: SnapshotFormat, since: String? = nil, from snapshot: DatabaseSnapshot,
        to destination: SnapshotDestination, progress: (Int) -> Void = { _ in }
    ) throws -> Int {
        let output = try Output(destination, name: "\(table.name).\(format.rawValue)")
        do {
            if format == .csv { try output.append(table.columns.map(\.name).joined(separator: ",") + "\r\n") }
            var after: DatabaseValue?
            var written = 0
            repeat {
                let page = try snapshot.read { db in try Snapshot.page(of: table, since: since, after: after, in: db) }
                for row in page.rows {
                    switch format {
                    case .csv: try output.append(row.map(\.csvCell).joined(separator: ",") + "\r\n")
                    case .jsonl: try output.append(table.jsonObject(row).serializedString + "\n")
                    }
                }
                written += page.rows.count
                progress(written)
                after = page.next
            } while after != nil
            try output.finish()
            return written
        } catch {
            output.abandon()
            throw error
        }
    }

    /// A file written whole or not at all (or standard output), buffered.
    final class Output {
        let fd: Int32
        let temporary: String?, final: String?
        var buffer: [UInt8] = []

        init(_ destination: SnapshotDestination, name: String) throws {
            switch destination {
            case .standardOutput:
                (fd, temporary, final) = (STDOUT_FILENO, nil, nil)
            case .folder(let folder):
                let final = URL(fileURLWithPath: folder).appendingPathComponent(name).path
                let temporary = URL(fileURLWithPath: folder).appendingPathComponent(".\(name).\(getpid()).partial").path
                let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard fd >= 0 else {
                    throw ExportProblem("Cannot write in \(folder): \(String(cString: strerror(errno))). Name a folder you can write to.")
                }
                (self.fd, self.temporary, self.final) = (fd, temporary, final)
            }
            buffer.reserveCapacity(1 << 18)
        }

        func append(_ text: String) throws {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 18 { try flush() }
        }

        func flush() throws {
            var offset = 0
            while offset < buffer.count {
                let wrote = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, buffer.count - offset) }
                if wrote < 0 {
                    if errno == EINTR { continue }
                    throw ExportProblem("Writing \(final ?? "standard output") failed: \(String(cString: strerror(errno))).")
                }
                offset += wrote
            }
            buffer.removeAll(keepingCapacity: true)
        }

        func finish() throws {
            try flush()
            guard let temporary, let final else { return }
            guard fsync(fd) == 0, close(fd) == 0, rename(temporary, final) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw ExportProblem("Could not put \(final) in place: \(reason).")
            }
        }

        func abandon() {
            guard let temporary else { return }
            close(fd)
            unlink(temporary)
        }
    }
}
