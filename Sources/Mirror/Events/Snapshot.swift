import GRDB

/// Reads an exported table's rows out of the mirror, typed by ``ExportCatalog``'s columns,
/// a page at a time in key order. Read the pages and the stream's position from one
/// ``MirrorDatabase/exportSnapshot()``: they then describe one moment, and a consumer that
/// follows the stream from that position misses nothing and sees nothing twice.
public enum Snapshot {
    /// One page of rows: each row's values in the table's column order.
    public struct Page: Sendable {
        public var rows: [[ExportValue]]
        /// The last row's key, to ask for the next page after; nil when the table is read.
        public var next: DatabaseValue?
    }

    /// The next `limit` rows of `table` after the key `after` (from the start when nil),
    /// dated on or after `since` (a `YYYY-MM-DD`) when the table has a date to filter by.
    public static func page(
        of table: ExportTable, since: String? = nil, after: DatabaseValue? = nil, limit: Int = 5_000, in db: Database
    ) throws -> Page {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let after {
            conditions.append("t.\(table.key) > ?")
            _ = arguments.append(contentsOf: [after])
        }
        if let since, let column = table.since {
            conditions.append("t.\(column) >= ?")
            _ = arguments.append(contentsOf: [since])
        }
        let columns = table.columns.map { $0.sql(on: "t") }.joined(separator: ", ")
        let sql =
            "SELECT t.\(table.key) AS page_key, \(columns) FROM \(table.name) AS t"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY t.\(table.key) LIMIT \(limit)"
        var page = Page(rows: [], next: nil)
        var last: DatabaseValue?
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            last = row[0] as DatabaseValue
            page.rows.append(table.columns.enumerated().map { index, column in column.type.value(row[index + 1] as DatabaseValue) })
        }
        page.next = page.rows.count == limit ? last : nil
        return page
    }

    /// How many rows `table` holds (dated on or after `since`, as ``page(of:since:after:limit:in:)``).
    public static func count(of table: ExportTable, since: String? = nil, in db: Database) throws -> Int {
        if let since, let column = table.since {
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name) WHERE \(column) >= ?", arguments: [since]) ?? 0
        }
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0
    }
}

extension MirrorDatabase {
    /// A read-only view of the mirror frozen at this moment, for a snapshot read in many
    /// pages while the sync goes on writing (SQLite's WAL keeps the moment's pages).
    public func exportSnapshot() throws -> DatabaseSnapshot { try pool.makeSnapshot() }
}
