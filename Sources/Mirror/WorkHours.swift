import DrChronoAPI
import Foundation
import GRDB

/// Each doctor's working hours by office and weekday, as minutes of the day: what
/// DrChrono's work schedules say, kept beside them in `work_hours` as they are stored.
///
/// find-slot asks for them at every search; parsing every schedule's JSON each time cost
/// a 120-doctor practice more than the search itself (BENCHMARKS.md, "find-slot").
public enum WorkHours {
    /// A stretch of work: from `start` to `end`, minutes after midnight.
    public struct Stretch: Sendable, Equatable {
        public var start: Int, end: Int
    }

    /// The week as DrChrono's work schedules name its days, Monday first.
    public static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v23 work hours") { db in
            try db.execute(
                sql: """
                    CREATE TABLE work_hours (
                        schedule_id INTEGER NOT NULL, doctor_id INTEGER NOT NULL, office_id INTEGER NOT NULL,
                        weekday INTEGER NOT NULL, start_minute INTEGER NOT NULL, end_minute INTEGER NOT NULL);
                    CREATE INDEX work_hours_by_schedule ON work_hours(schedule_id);
                    CREATE INDEX work_hours_by_doctor ON work_hours(doctor_id);
                    """)
            for row in try Row.fetchAll(db, sql: "SELECT id, doctor_id, office_id, raw FROM work_schedules") {
                guard let object = (row["raw"] as String?).flatMap({ try? JSONValue.parse(Data($0.utf8)) })?.objectValue else { continue }
                try store(schedule: row["id"], doctor: row["doctor_id"], office: row["office_id"], object, in: db)
            }
        }
    }

    /// Replaces the hours of work schedule `schedule` with those `object` gives.
    static func store(schedule: Int, doctor: Int?, office: Int?, _ object: JSONObject, in db: Database) throws {
        try db.run(sql: "DELETE FROM work_hours WHERE schedule_id = ?", arguments: [schedule])
        guard let doctor, let office else { return }
        for day in object.array("work_days").compactMap(\.objectValue) where day.bool("enabled") != false {
            guard let weekday = day.string("iso_weekday").flatMap(weekdays.firstIndex) else { continue }
            for hour in day.array("work_hours").compactMap(\.objectValue) where hour.bool("enabled") != false {
                guard let start = hour.string("start_time").flatMap(minutes), let end = hour.string("end_time").flatMap(minutes) else {
                    continue
                }
                try db.run(
                    sql: "INSERT INTO work_hours VALUES (?, ?, ?, ?, ?, ?)", arguments: [schedule, doctor, office, weekday, start, end])
            }
        }
    }

    static func remove(schedule: Int, in db: Database) throws {
        try db.run(sql: "DELETE FROM work_hours WHERE schedule_id = ?", arguments: [schedule])
    }

    /// The hours of `doctors` (nil: every doctor) by doctor, office and weekday (0 Monday).
    public static func read(_ db: Database, doctors: [Int]?) throws -> [Int: [Int: [Int: [Stretch]]]] {
        var sql = "SELECT doctor_id, office_id, weekday, start_minute, end_minute FROM work_hours"
        if let doctors { sql += " WHERE doctor_id IN (\(databaseQuestionMarks(count: doctors.count)))" }
        var hours: [Int: [Int: [Int: [Stretch]]]] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: StatementArguments(doctors ?? []))
        while let row = try rows.next() {
            hours[row[0], default: [:]][row[1], default: [:]][row[2], default: []].append(Stretch(start: row[3], end: row[4]))
        }
        return hours
    }

    /// "08:00" or "08:00:00" → 480.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        return parts.count >= 2 ? parts[0] * 60 + parts[1] : nil
    }
}
