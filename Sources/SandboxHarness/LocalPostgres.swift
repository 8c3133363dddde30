import Foundation

/// A PostgreSQL server of a test's (or a benchmark's) own — Debian's server binaries, a
/// new cluster in a folder named chronoterm-test-pg-… (so the suite's leftover check finds
/// it), listening only on a Unix socket in that folder, never on a port — stopped at the
/// end. Run as root (as CI is), the cluster belongs to the `postgres` account, since
/// PostgreSQL refuses to run as root.
public final class LocalPostgres: @unchecked Sendable {
    public let folder: URL
    /// Names the socket (`.s.PGSQL.PORT`): nothing listens on it.
    public let port: Int
    let binaries: String
    let process: ChildProcess
    public var socketFolder: String { folder.appendingPathComponent("socket").path }
    /// The URL chronoterm is given.
    public var url: String { "postgresql://postgres@/postgres?host=\(socketFolder)&port=\(port)" }

    public init() throws {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = versions.compactMap(Int.init).max(),
            FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(version)/bin/postgres"),
            FileManager.default.isExecutableFile(atPath: "/usr/bin/psql")
        else { throw PostgresError(description: "the export's tests need PostgreSQL: make test-deps (apt-get install postgresql)") }
        binaries = "/usr/lib/postgresql/\(version)/bin"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-test-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("socket"), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if getuid() == 0 {
            try LocalPostgres.run(["/bin/chown", "-R", "postgres:postgres", folder.path])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
        }
        port = Int.random(in: 20_000...60_000)
        let data = folder.appendingPathComponent("data").path
        let socketFolder = folder.appendingPathComponent("socket").path
        do {
            try LocalPostgres.run(
                LocalPostgres.asOwner + ["\(binaries)/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        let command =
            LocalPostgres.asOwner + [
                "\(binaries)/postgres", "-D", data, "-k", socketFolder, "-p", String(port), "-c", "listen_addresses=", "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            ]
        process = try ChildProcess(command[0], Array(command.dropFirst()))
        for _ in 0..<200 {
            if (try? psql("SELECT 1")) == "1" { return }
            usleep(50_000)
        }
        stop()
        throw PostgresError(description: "PostgreSQL did not start in \(folder.path)")
    }

    /// Stops the server (fast shutdown: open sessions are ended) and removes its folder.
    public func stop() {
        _ = try? LocalPostgres.run(
            LocalPostgres.asOwner + [
                "\(binaries)/pg_ctl", "stop", "-D", folder.appendingPathComponent("data").path, "-m", "immediate", "-s",
            ])
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    /// What psql prints for `sql`: unaligned, tuples only, a tab between columns.
    @discardableResult
    public func psql(_ sql: String) throws -> String {
        try LocalPostgres.run(
            [
                "/usr/bin/psql", "-X", "-q", "-h", socketFolder, "-p", String(port), "-U", "postgres", "-d", "postgres", "-At", "-F", "\t",
                "-v", "ON_ERROR_STOP=1", "-c", sql,
            ]
        ).trimmingCharacters(in: .newlines)
    }

    /// `runuser -u postgres --` when running as root; nothing otherwise.
    static var asOwner: [String] { getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : [] }

    @discardableResult
    static func run(_ command: [String]) throws -> String {
        let output = Pipe()
        let errors = Pipe()
        let process = try ChildProcess(
            command[0], Array(command.dropFirst()), output: output.fileHandleForWriting.fileDescriptor,
            errors: errors.fileHandleForWriting.fileDescriptor)
        try? output.fileHandleForWriting.close()
        try? errors.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? output.fileHandleForReading.close()
        try? errors.fileHandleForReading.close()
        guard process.terminationStatus == 0 else {
            throw PostgresError(description: "\(command.last ?? ""): \(String(decoding: said, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

public struct PostgresError: Error, CustomStringConvertible { public var description: String }
