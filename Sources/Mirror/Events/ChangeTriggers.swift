/// The SQL that records each change of an exported table as an event, in the very
/// statement that makes it: SQLite triggers, generated from ``ExportCatalog``. A change is
/// recorded whoever makes it (a pass, a webhook, the write queue, a reconciliation) and
/// commits or rolls back with it, so the stream has no gap and no change twice.
enum ChangeTriggers {
    /// The statements that (re)create every table's triggers.
    static func create() -> [String] {
        ExportCatalog.tables.flatMap { table in drop(table) + create(table) }
    }

    static func drop(_ table: ExportTable) -> [String] {
        ["insert", "update", "delete"].map { "DROP TRIGGER IF EXISTS events_\(table.name)_\($0)" }
    }

    /// Nothing is recorded while the mirror is emptied for a new epoch: one
    /// `mirror.rebuilt` event says so instead of a delete per row.
    private static let recording = "(SELECT origin FROM change_origin WHERE id = 1) != 'rebuild'"

    static func create(_ table: ExportTable) -> [String] {
        let newKey = table.keyColumn.sql(on: "NEW")
        let oldKey = table.keyColumn.sql(on: "OLD")
        let anyChange = table.columns.map { "\($0.sql(on: "OLD")) IS NOT \($0.sql(on: "NEW"))" }.joined(separator: " OR ")
        let changed =
            "rtrim("
            + table.columns.map { "CASE WHEN \($0.sql(on: "OLD")) IS NOT \($0.sql(on: "NEW")) THEN '\($0.name),' ELSE '' END" }
            .joined(separator: " || ") + ", ',')"
        return [
            """
            CREATE TRIGGER events_\(table.name)_insert AFTER INSERT ON \(table.name) WHEN \(recording)
            BEGIN \(event(table, type: "'\(table.entity).created'", action: "create", subject: newKey, changed: "NULL", row: "NEW")); END
            """,
            """
            CREATE TRIGGER events_\(table.name)_update AFTER UPDATE ON \(table.name) WHEN (\(anyChange)) AND \(recording)
            BEGIN
                \(event(table, type: "'\(table.entity).deleted'", action: "delete", subject: oldKey, changed: "NULL", row: "OLD") + " AND \(oldKey) IS NOT \(newKey)");
                \(event(table, type: "'\(table.entity).created'", action: "create", subject: newKey, changed: "NULL", row: "NEW") + " AND \(oldKey) IS NOT \(newKey)");
                \(event(table, type: updateType(table), action: "update", subject: newKey, changed: changed, row: "NEW") + " AND \(oldKey) IS \(newKey)");
            END
            """,
            """
            CREATE TRIGGER events_\(table.name)_delete AFTER DELETE ON \(table.name) WHEN \(recording)
            BEGIN \(event(table, type: "'\(table.entity).deleted'", action: "delete", subject: oldKey, changed: "NULL", row: "OLD")); END
            """,
        ]
    }

    /// One INSERT INTO events, its origin read from `change_origin`; ends in a WHERE a
    /// caller may extend.
    private static func event(_ table: ExportTable, type: String, action: String, subject: String, changed: String, row: String) -> String {
        let object = table.columns.map { "'\($0.name)', \($0.sql(on: row))" }.joined(separator: ", ")
        return """
            INSERT INTO events (at, type, table_name, subject, action, origin, person, changed, row)
                SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), \(type), '\(table.name)', CAST(\(subject) AS TEXT), '\(action)',
                    origin, person, \(changed), json_object(\(object))
                FROM change_origin WHERE id = 1
            """
    }

    /// An update's type: a named change when one of the table's named columns became a
    /// named value (`appointment.checked_in`), else `entity.updated`.
    private static func updateType(_ table: ExportTable) -> String {
        var cases: [String] = []
        for named in table.namedChanges {
            let column = table.columns.first { $0.name == named.column }!
            let new = column.sql(on: "NEW")
            let old = column.sql(on: "OLD")
            for (value, verb) in named.values {
                cases.append("WHEN \(old) IS NOT \(new) AND \(new) = \(literal(value)) THEN '\(table.entity).\(verb)'")
            }
            if let verb = named.otherwise {
                cases.append("WHEN \(old) IS NOT \(new) AND coalesce(\(new), '') != '' THEN '\(table.entity).\(verb)'")
            }
        }
        guard !cases.isEmpty else { return "'\(table.entity).updated'" }
        return "CASE " + cases.joined(separator: " ") + " ELSE '\(table.entity).updated' END"
    }

    /// A value as an SQL literal: digits as a number (so it compares with an integer
    /// column), anything else quoted.
    private static func literal(_ value: String) -> String {
        value.allSatisfy(\.isNumber) ? value : "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
