import GRDB

extension Database {
    /// Inserts a row, or updates the row with the same key in place. Unlike INSERT OR
    /// REPLACE (a delete and an insert), an existing row is updated: the change stream's
    /// triggers see one update, and none when nothing changed. Columns not named keep
    /// their value.
    func upsert(into table: String, key: String = "id", _ columns: [String], _ values: StatementArguments) throws {
        let updates = columns.filter { $0 != key }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let sql = """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT(\(key)) DO UPDATE SET \(updates)
            """
        try cachedStatement(sql: sql).execute(arguments: values)
    }

    /// Runs `sql` through the connection's statement cache: a statement on a table whose
    /// changes are recorded compiles that table's triggers with it, so the sync's writes
    /// (thousands of rows a page) compile each statement once, not once a row.
    func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
