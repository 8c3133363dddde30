import Foundation
import NIOSSL
import PostgresNIO

/// A PostgreSQL server as a `postgresql://` URL names it, the way `psql` reads one:
/// `postgresql://[user[:password]@][host][:port][/database][?host=/socket/folder&sslmode=…]`.
/// A host that is a folder (or none at all) is a Unix socket in it; the password may come
/// from `PGPASSWORD` instead of the URL (which `ps` shows).
public struct PostgresAddress: Sendable, CustomStringConvertible {
    public var host: String?
    public var socketFolder: String?
    public var port: Int
    public var user: String
    var password: String?
    public var database: String
    public var sslMode: String

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let parts = URLComponents(string: text), ["postgresql", "postgres"].contains(parts.scheme?.lowercased() ?? "") else {
            throw ExportProblem("\(Self.redacted(text)) is not a PostgreSQL URL: write postgresql://USER@HOST:PORT/DATABASE.")
        }
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let named = (parts.percentEncodedHost?.removingPercentEncoding).flatMap { $0.isEmpty ? nil : $0 }
        let hostParameter = query["host"]
        if let folder = hostParameter ?? named, folder.hasPrefix("/") {
            socketFolder = folder
        } else if let host = hostParameter ?? named {
            self.host = host
        } else {
            socketFolder = "/var/run/postgresql"
        }
        port = parts.port ?? query["port"].flatMap(Int.init) ?? 5432
        user = parts.user?.removingPercentEncoding ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        password = parts.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        database = path.isEmpty ? (query["dbname"] ?? user) : path
        sslMode = query["sslmode"] ?? (socketFolder == nil ? "prefer" : "disable")
        guard ["disable", "prefer", "require"].contains(sslMode) else {
            throw ExportProblem("sslmode=\(sslMode): use disable, prefer or require.")
        }
    }

    /// Where it is, without the password: for messages and the audit trail.
    public var description: String {
        let place = socketFolder.map { "socket \($0)/.s.PGSQL.\(port)" } ?? "\(host ?? ""):\(port)"
        return "postgresql://\(user)@\(place)/\(database)"
    }

    /// The URL with any password replaced: what may be printed.
    public static func redacted(_ text: String) -> String {
        guard var parts = URLComponents(string: text), parts.password != nil else { return text }
        parts.password = "***"
        return parts.string ?? "the URL"
    }

    var configuration: PostgresConnection.Configuration {
        get throws {
            if let socketFolder {
                return .init(unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
            }
            let tls: PostgresConnection.Configuration.TLS
            switch sslMode {
            case "disable": tls = .disable
            case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            return .init(host: host ?? "localhost", port: port, username: user, password: password, database: database, tls: tls)
        }
    }
}
