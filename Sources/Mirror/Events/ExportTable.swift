/// What a column of an exported table holds, the same in every format: a CSV cell, a
/// JSON value, a PostgreSQL column type.
public enum ExportColumnType: String, Sendable, CaseIterable {
    /// A whole number (64 bits).
    case integer
    case text
    /// `true` / `false` (the mirror keeps 1 / 0).
    case boolean
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// The practice's local wall-clock time, `YYYY-MM-DDTHH:MM:SS`, no zone: DrChrono's own.
    case timestamp
    /// Money in whole cents, signed, 64 bits: exact, never a float.
    case cents
    /// A decimal quantity (a charge's units).
    case decimal
    /// A JSON document as DrChrono sent it (a visit's vitals).
    case json
}

/// One column of an exported table: its name, type, and where it comes from in the mirror.
public struct ExportColumn: Sendable {
    public let name: String
    public let type: ExportColumnType
    /// Whether the column alone names or describes a person's health (names, birth dates,
    /// contact details, free text a person typed about a patient).
    public let identifies: Bool
    /// One line for the docs.
    public let about: String
    /// SQL over the mirror's row, with `ROW.` standing for the row (`NEW.`, `OLD.` in a
    /// trigger, the table's alias in a snapshot).
    let expression: String

    init(_ name: String, _ type: ExportColumnType, identifies: Bool = false, _ about: String, sql: String? = nil) {
        (self.name, self.type, self.identifies, self.about) = (name, type, identifies, about)
        expression = sql ?? "ROW.\(name)"
    }

    /// The column's SQL with `ROW.` replaced by `row` (`NEW`, `OLD`, `t`).
    func sql(on row: String) -> String { expression.replacingOccurrences(of: "ROW.", with: row + ".") }
}

/// Whether a table's rows are protected health information.
public enum ExportPrivacy: Sendable {
    /// Every row is about one patient: the whole table is PHI.
    case phi
    /// The practice's own set-up (doctors, offices, prices): no patient in it.
    case practice
}

/// A table of the practice as it leaves chronoterm: the same name, columns and meaning in
/// the change stream, the snapshots and the warehouse. Its columns are read from the
/// mirror's table of the same name; `raw` (DrChrono's whole record) is never exported.
public struct ExportTable: Sendable {
    /// The table's name everywhere: the mirror's, the snapshot file's, the warehouse's.
    public let name: String
    /// The singular a change event's type starts with: `appointment.updated`.
    public let entity: String
    /// The column that names a row (its id).
    public let key: String
    public let columns: [ExportColumn]
    public let privacy: ExportPrivacy
    /// The date column `--since` filters on; nil: the table is exported whole.
    public let since: String?
    public let about: String

    /// The key column.
    public var keyColumn: ExportColumn { columns.first { $0.name == key }! }

    /// A change of a row's columns that has a name of its own (a visit checked in), for
    /// consumers to pick out: the event's type when `column` became one of `values`.
    public struct NamedChange: Sendable {
        public let column: String
        /// A value the column took → the type's verb (`"Checked In"` → `checked_in`).
        public let values: [(value: String, verb: String)]
        /// The verb when the column became any non-empty value not in `values`.
        public let otherwise: String?
    }
    public let namedChanges: [NamedChange]

    init(
        _ name: String, entity: String, key: String = "id", privacy: ExportPrivacy, since: String? = nil,
        named: [NamedChange] = [], about: String, _ columns: [ExportColumn]
    ) {
        (self.name, self.entity, self.key, self.privacy, self.since, self.about) = (name, entity, key, privacy, since, about)
        (self.namedChanges, self.columns) = (named, columns)
    }
}
