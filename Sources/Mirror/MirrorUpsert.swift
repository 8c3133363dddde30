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
}
