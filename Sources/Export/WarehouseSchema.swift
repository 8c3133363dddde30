import Mirror

/// The warehouse's tables in PostgreSQL: one a table of ``ExportCatalog``, typed, keyed,
/// commented with what each column holds, and the stream position it was brought to.
enum WarehouseSchema {
    /// A PostgreSQL type per column type: money stays in whole cents, local times stay
    /// without a zone (DrChrono's are the practice's wall clock).
    static func type(_ type: ExportColumnType) -> String {
        switch type {
        case .integer, .cents: "bigint"
        case .text: "text"
        case .boolean: "boolean"
        case .date: "date"
        case .timestamp: "timestamp"
        case .decimal: "double precision"
        case .json: "jsonb"
        }
    }

    /// The statements that create the schema, or bring an older one up to date (a column
    /// added to the catalogue since), each safe to run again.
    static func statements(in schema: String) -> [String] {
        var statements = [
            "CREATE SCHEMA IF NOT EXISTS \(schema)",
            """
            CREATE TABLE IF NOT EXISTS \(schema).stream_position (
                id integer PRIMARY KEY CHECK (id = 1), mirror text NOT NULL, position bigint NOT NULL,
                loaded_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)
            """,
            "COMMENT ON TABLE \(schema).stream_position IS 'The change event of the chronoterm mirror this schema holds every change up to.'",
        ]
        for table in ExportCatalog.tables {
            let columns = table.columns.map { "\($0.name) \(type($0.type))" }.joined(separator: ", ")
            statements.append("CREATE TABLE IF NOT EXISTS \(schema).\(table.name) (\(columns), PRIMARY KEY (\(table.key)))")
            statements += table.columns.map { "ALTER TABLE \(schema).\(table.name) ADD COLUMN IF NOT EXISTS \($0.name) \(type($0.type))" }
            statements.append(
                "COMMENT ON TABLE \(schema).\(table.name) IS \(literal(table.about + (table.privacy == .phi ? " PHI." : "")))")
            statements += table.columns.map {
                "COMMENT ON COLUMN \(schema).\(table.name).\($0.name) IS \(literal($0.about + ($0.identifies ? " (identifies a patient)" : "")))"
            }
        }
        return statements
    }

    /// Upserts one row of `table`: its values bound in column order, cast to their types.
    static func upsert(_ table: ExportTable, in schema: String) -> String {
        let names = table.columns.map(\.name)
        let values = table.columns.enumerated().map { index, column in "$\(index + 1)::\(type(column.type))" }
        let updates = names.filter { $0 != table.key }.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        return "INSERT INTO \(schema).\(table.name) (\(names.joined(separator: ", "))) VALUES (\(values.joined(separator: ", "))) "
            + "ON CONFLICT (\(table.key)) DO UPDATE SET \(updates)"
    }

    static func delete(_ table: ExportTable, in schema: String) -> String {
        "DELETE FROM \(schema).\(table.name) WHERE \(table.key) = $1::\(type(table.keyColumn.type))"
    }

    static func truncate(in schema: String) -> String {
        "TRUNCATE " + ExportCatalog.tables.map { "\(schema).\($0.name)" }.joined(separator: ", ")
    }

    /// A schema name chronoterm will put in SQL: lower-case letters, digits and `_`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 63, first == "_" || ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    private static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
