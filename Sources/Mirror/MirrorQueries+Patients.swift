import DrChronoAPI
import Foundation
import GRDB

/// What registering or changing a patient reads from the mirror.
extension MirrorQueries {
    /// A patient already in the practice under a name and birth date.
    public struct ExistingPatient: Sendable, Equatable {
        public var id: Int
        public var chartId: String
        public var name: String
        public var dateOfBirth: String
    }

    /// Patients with this first and last name (folded: case, accents and punctuation
    /// aside) born on `dateOfBirth` (`YYYY-MM-DD`): a registration that would make a
    /// second chart for one of them is stopped. Found through the birth date's search key.
    public static func patients(named first: String, _ last: String, born dateOfBirth: String, in db: Database) throws
        -> [ExistingPatient]
    {
        let ids = try Int.fetchAll(db, sql: "SELECT patient_id FROM patient_search WHERE key = ?", arguments: [dateOfBirth])
        guard !ids.isEmpty else { return [] }
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT id, chart_id, first_name, last_name FROM patients WHERE id IN (\(databaseQuestionMarks(count: ids.count)))",
            arguments: StatementArguments(ids))
        return rows.compactMap { row in
            let (rowFirst, rowLast): (String, String) = (row["first_name"], row["last_name"])
            guard SearchKey.fold(rowFirst) == SearchKey.fold(first), SearchKey.fold(rowLast) == SearchKey.fold(last) else { return nil }
            return ExistingPatient(id: row["id"], chartId: row["chart_id"], name: "\(rowFirst) \(rowLast)", dateOfBirth: dateOfBirth)
        }
    }

    /// A payer the practice's patients are insured by.
    public struct Payer: Sendable, Equatable {
        public var name: String
        public var payerId: String
        public init(name: String, payerId: String) { (self.name, self.payerId) = (name, payerId) }
    }

    /// The payers on the practice's patients' cards, by name.
    public static func payers(_ db: Database) throws -> [Payer] {
        try Row.fetchAll(db, sql: "SELECT name, payer_id FROM payers ORDER BY name COLLATE NOCASE, payer_id").map {
            Payer(name: $0["name"], payerId: $0["payer_id"])
        }
    }

    /// A patient's whole row as DrChrono sent it (with any change still queued laid
    /// over it): what the change form starts from.
    public static func patientRecord(_ db: Database, id: Int) throws -> JSONObject? {
        try String.fetchOne(db, sql: "SELECT raw FROM patients WHERE id = ?", arguments: [id])
            .flatMap { try? JSONValue.parse(Data($0.utf8)) }?.objectValue
    }
}
